package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestDatabases;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A full_name prefix is a plain prefix: LIKE's wildcards in it match only themselves, and a catalog's
 * prefix does not reach a sibling whose name starts the same. Pages walk the matches newest first
 * whether they are among the newest events or far behind them (on H2 these take different queries).
 */
class AuditPrefixFilterTest {
  private static final String[] NAMES = {"cat", "cat.s1", "cat.s1.t", "cat2", "cat2.x", "ca_t.y", "caxt.y",
      "c%t.z", "cbt.z", "cat.s_1.t", "cat.sx1.t", "c\\t.w", "c\\\\t.w"};
  private static final String[] PREFIXES = {"cat.", "cat", "ca_t.", "c%t.", "cat.s_1", "c\\t", "filler.", "cat2.x"};

  private final Jdbi jdbi = TestDatabases.migrated();
  private final AuditService service = new AuditService(new AuditLog(jdbi, Clock.systemUTC(), new ObjectMapper(),
      true, TestDatabases.linking()));
  private final List<AuditEvent> stored = new ArrayList<>();

  /** Stores events straight into the table: the chain is not what this test is about. */
  private void store(long seq, long time, String fullName) {
    stored.add(new AuditEvent(seq, "e" + seq, time, "r" + seq, "alice", "USER", null, null, null, "catalog",
        "createCatalog", "CATALOG", fullName, null, null, 200, null, AuditChain.GENESIS, AuditChain.GENESIS));
  }

  private void flush() {
    jdbi.useTransaction(h -> {
      try (PreparedStatement batch = h.getConnection().prepareStatement(AuditDao.INSERT)) {
        for (AuditEvent e : stored) {
          AuditDao.bindEvent(batch, 0, e);
          batch.addBatch();
        }
        batch.executeBatch();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The first {@code max} matches (at least), page by page. */
  private List<Long> walk(String prefix, int pageSize, int max) {
    AuditFilter filter = AuditService.filter(null, null, null, null, prefix, null, null, null);
    List<Long> seqs = new ArrayList<>();
    String token = null;
    do {
      AuditService.EventPage page = service.page(filter, pageSize, token);
      page.events().forEach(e -> seqs.add(e.seq()));
      token = page.nextPageToken();
    } while (token != null && seqs.size() < max);
    return seqs;
  }

  private List<Long> expected(String prefix) {
    return stored.stream()
        .filter(e -> e.fullName() != null && e.fullName().startsWith(prefix))
        .sorted(Comparator.comparingLong(AuditEvent::eventTime).thenComparingLong(AuditEvent::seq).reversed())
        .map(AuditEvent::seq)
        .toList();
  }

  @Test
  void wildcardsAndSiblingNamesAmongFewEvents() {
    long seq = 0;
    for (int round = 0; round < 3; round++) {
      for (String name : NAMES) {
        seq++;
        store(seq, 1_000 + seq / 2, name); // pairs of events share a millisecond
      }
    }
    store(++seq, 5_000, null);
    flush();
    assertThat(expected("cat.")).hasSize(12);
    for (String prefix : PREFIXES) {
      for (int size : new int[] {1, 4, 100}) {
        assertThat(walk(prefix, size, Integer.MAX_VALUE)).as("prefix %s, pages of %d", prefix, size).isEqualTo(expected(prefix));
      }
    }
  }

  @Test
  void matchesFarBehindTheNewestEventsAndAmongThem() {
    long seq = 0;
    for (int i = 0; i < 150; i++) {
      seq++;
      store(seq, 1_000 + seq, NAMES[i % NAMES.length]);
    }
    // More than AuditDao.PREFIX_WINDOW newer events, a few of which match: the page starts among them
    // and continues far behind.
    for (int i = 0; i < AuditDao.PREFIX_WINDOW + 500; i++) {
      seq++;
      store(seq, 100_000 + seq / 3, i % 5_000 == 0 ? "cat.new" + i : "filler." + i % 7);
    }
    flush();
    for (String prefix : new String[] {"cat.", "ca_t.", "cat", "filler.", "nothing."}) {
      List<Long> all = expected(prefix);
      List<Long> firstPages = walk(prefix, 50, 150);
      assertThat(firstPages).as("prefix %s", prefix).isEqualTo(all.subList(0, Math.min(all.size(), 150)));
    }
    assertThat(walk("cat.", 50, Integer.MAX_VALUE)).isEqualTo(expected("cat."));
  }
}
