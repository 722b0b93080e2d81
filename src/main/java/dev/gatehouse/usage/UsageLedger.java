package dev.gatehouse.usage;

import dev.gatehouse.db.BatchedWrites;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage records (with their tags and groups, which reports group by) as soon as a request's
 * outcome is known, together with what the call is charged (its budgets' spend): a crash never
 * keeps one without the other. {@link #record} returns once both are committed. Records of
 * concurrent calls share commits ({@link BatchedWrites}): every inference call writes one.
 */
public class UsageLedger {
  private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
  /** Inserts contend for no row: they go first in a shared transaction. */
  private static final String NO_CONTENDED_ROW = "";
  private final BatchedWrites writes;

  public UsageLedger(BatchedWrites writes) {
    this.writes = writes;
  }

  /** Returns when {@code record} and {@code charges} are committed; throws when the record could not be. */
  public void record(UsageRecord record, List<BatchedWrites.Step> charges) {
    List<BatchedWrites.Step> steps = new ArrayList<>(charges.size() + 1);
    steps.add(new BatchedWrites.Step(NO_CONTENDED_ROW, h -> {
      try {
        UsageDao.insert(h, record);
      } catch (SQLException e) {
        throw new UnableToExecuteStatementException(e, null);
      }
      return null;
    }));
    steps.addAll(charges);
    try {
      writes.write(steps);
    } catch (RuntimeException e) {
      // The answer may already be on its way; losing the record must at least be loud.
      LOG.error("Could not write usage record of request {} ({} prompt + {} completion tokens on {})",
          record.requestId(), record.promptTokens(), record.completionTokens(), record.modelFullName(), e);
      chargeWithoutRecord(record, charges);
      throw e;
    }
  }

  /** The provider was paid whether or not the record could be kept: its budgets are charged all the same. */
  private void chargeWithoutRecord(UsageRecord record, List<BatchedWrites.Step> charges) {
    try {
      writes.write(charges);
    } catch (RuntimeException e) {
      LOG.error("Could not charge {} USD of request {} to its budgets either", record.costUsd(), record.requestId(), e);
    }
  }
}
