package dev.gatehouse.audit;

import dev.gatehouse.common.SharedRounds;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * The sequence number at the head of the audit chain, read as a version of the whole catalog:
 * every committed change appends its event in the same transaction (and every refused request
 * appends one too), so while the head stays put nothing has changed, on any instance sharing the
 * database. Read caches key their entries by it; see {@link dev.gatehouse.db.ReadCaches}.
 *
 * <p>It is read at most once per request, on the first cached lookup, with plain JDBC: this is the
 * one query a cached read still pays. Requests that change state, and work outside any request,
 * get {@link #UNKNOWN} and read the database directly: they must see their own uncommitted writes.
 * With the audit log disabled no event moves the head, so nothing may be cached.
 *
 * <p>Across a network (PostgreSQL) the round trip, not the query, is the cost, and each request
 * paying its own made the database connection the bottleneck of every cached read. There one reader
 * thread serves rounds: requests that arrive while a read is running wait for the next one and all
 * take its answer. A read that starts after a request arrived sees every change committed before
 * the request arrived, so sharing it keeps the guarantee above: a revoke acts on the next request.
 */
public final class ChangeEpoch implements Managed {
  public static final long UNKNOWN = -1;
  private static final String HEAD = "SELECT last_seq FROM audit_chain_head WHERE id = 1";
  /** A request waits no longer than this for a shared read; then its lookups read the database. */
  private static final long SHARED_READ_WAIT_MS = 5_000;

  private final DataSource dataSource;
  private final boolean auditEnabled;
  private final boolean shareReads;
  private final SharedRounds<Long> rounds = new SharedRounds<>("change-epoch-reader", this::read, 0);

  /** Reads shared between concurrent requests when {@code shareReads} (and once started). */
  public ChangeEpoch(DataSource dataSource, boolean auditEnabled, boolean shareReads) {
    this.dataSource = dataSource;
    this.auditEnabled = auditEnabled;
    this.shareReads = shareReads;
  }

  public long current() {
    AuditContext context = AuditContext.current();
    if (!auditEnabled || !context.readOnly) {
      return UNKNOWN;
    }
    if (context.epoch == UNKNOWN) {
      context.epoch = readShared();
    }
    return context.epoch;
  }

  private long readShared() {
    try {
      return rounds.await(SHARED_READ_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNKNOWN;
    } catch (ExecutionException | TimeoutException e) {
      return UNKNOWN;
    }
  }

  private long read() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(HEAD);
        ResultSet head = statement.executeQuery()) {
      return head.next() ? head.getLong(1) : UNKNOWN;
    } catch (SQLException e) {
      // The lookup that asked reads the database itself and fails there, in the usual way, if it must.
      return UNKNOWN;
    }
  }

  @Override
  public void start() {
    if (shareReads && auditEnabled) {
      rounds.start();
    }
  }

  @Override
  public void stop() throws InterruptedException {
    rounds.stop(SHARED_READ_WAIT_MS);
  }
}
