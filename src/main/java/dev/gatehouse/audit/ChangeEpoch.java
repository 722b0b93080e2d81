package dev.gatehouse.audit;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
  private final Object lock = new Object();
  /** The round that the reader starts next; requests arriving now join it. Guarded by lock. */
  private CompletableFuture<Long> nextRound;
  private boolean running;
  private Thread reader;

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
      context.epoch = shareReads ? readShared() : read();
    }
    return context.epoch;
  }

  private long readShared() {
    CompletableFuture<Long> round;
    synchronized (lock) {
      if (!running) {
        return read();
      }
      if (nextRound == null) {
        nextRound = new CompletableFuture<>();
        lock.notifyAll();
      }
      round = nextRound;
    }
    try {
      return round.get(SHARED_READ_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNKNOWN;
    } catch (ExecutionException | TimeoutException e) {
      return UNKNOWN;
    }
  }

  private void serveRounds() {
    while (true) {
      CompletableFuture<Long> round;
      synchronized (lock) {
        while (running && nextRound == null) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            running = false;
          }
        }
        round = nextRound;
        nextRound = null;
        if (!running) {
          if (round != null) {
            round.complete(UNKNOWN);
          }
          return;
        }
      }
      round.complete(read());
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
    if (!shareReads || !auditEnabled) {
      return;
    }
    synchronized (lock) {
      running = true;
    }
    reader = new Thread(this::serveRounds, "change-epoch-reader");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void stop() throws InterruptedException {
    synchronized (lock) {
      running = false;
      lock.notifyAll();
    }
    if (reader != null) {
      reader.join(SHARED_READ_WAIT_MS);
    }
  }
}
