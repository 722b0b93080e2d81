package dev.gatehouse.usage;

import dev.gatehouse.db.BatchedWrites;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage records (with their tags and groups, which reports group by) as soon as a request's
 * outcome is known; {@link #record} returns once the record is committed. Records of concurrent
 * calls share commits ({@link BatchedWrites}): every inference call writes one.
 */
public class UsageLedger {
  private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
  /** Inserts contend for no row: they go first in a shared transaction. */
  private static final String NO_CONTENDED_ROW = "";
  private final BatchedWrites writes;

  public UsageLedger(BatchedWrites writes) {
    this.writes = writes;
  }

  /** Returns when {@code record} is committed; throws when it could not be. */
  public void record(UsageRecord record) {
    try {
      writes.write(NO_CONTENDED_ROW, h -> {
        try {
          h.attach(UsageDao.class).insert(record);
        } catch (SQLException e) {
          throw new UnableToExecuteStatementException(e, null);
        }
        return Boolean.TRUE;
      });
    } catch (RuntimeException e) {
      // The answer may already be on its way; losing the record must at least be loud.
      LOG.error("Could not write usage record of request {} ({} prompt + {} completion tokens on {})",
          record.requestId(), record.promptTokens(), record.completionTokens(), record.modelFullName(), e);
      throw e;
    }
  }
}
