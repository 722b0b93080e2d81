package dev.gatehouse.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage records, each in its own transaction (with its tags and groups, which reports group
 * by), as soon as a request's outcome is known.
 */
public class UsageLedger {
  private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
  private final Jdbi jdbi;

  public UsageLedger(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void record(UsageRecord record) {
    Map<String, String> tags = record.tagMap();
    List<String> groups = record.groupList();
    try {
      if (tags.isEmpty() && groups.isEmpty()) {
        jdbi.useHandle(h -> h.attach(UsageDao.class).insert(record));
        return;
      }
      jdbi.useTransaction(h -> {
        UsageDao dao = h.attach(UsageDao.class);
        dao.insert(record);
        if (!tags.isEmpty()) {
          dao.insertTags(record.id(), new ArrayList<>(tags.keySet()), new ArrayList<>(tags.values()));
        }
        if (!groups.isEmpty()) {
          dao.insertGroups(record.id(), groups);
        }
      });
    } catch (RuntimeException e) {
      // The answer may already be on its way; losing the record must at least be loud.
      LOG.error("Could not write usage record of request {} ({} prompt + {} completion tokens on {})",
          record.requestId(), record.promptTokens(), record.completionTokens(), record.modelFullName(), e);
      throw e;
    }
  }
}
