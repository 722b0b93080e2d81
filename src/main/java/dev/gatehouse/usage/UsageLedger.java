package dev.gatehouse.usage;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes usage records, each in its own transaction, as soon as a request's outcome is known. */
public class UsageLedger {
  private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
  private final Jdbi jdbi;

  public UsageLedger(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void record(UsageRecord record) {
    try {
      jdbi.useHandle(h -> h.attach(UsageDao.class).insert(record));
    } catch (RuntimeException e) {
      // The answer may already be on its way; losing the record must at least be loud.
      LOG.error("Could not write usage record of request {} ({} prompt + {} completion tokens on {})",
          record.requestId(), record.promptTokens(), record.completionTokens(), record.modelFullName(), e);
      throw e;
    }
  }
}
