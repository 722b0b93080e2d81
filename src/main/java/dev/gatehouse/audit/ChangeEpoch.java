package dev.gatehouse.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 */
public final class ChangeEpoch {
  public static final long UNKNOWN = -1;
  private static final String HEAD = "SELECT last_seq FROM audit_chain_head WHERE id = 1";

  private final DataSource dataSource;
  private final boolean auditEnabled;

  public ChangeEpoch(DataSource dataSource, boolean auditEnabled) {
    this.dataSource = dataSource;
    this.auditEnabled = auditEnabled;
  }

  public long current() {
    AuditContext context = AuditContext.current();
    if (!auditEnabled || !context.readOnly) {
      return UNKNOWN;
    }
    if (context.epoch == UNKNOWN) {
      context.epoch = read();
    }
    return context.epoch;
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
}
