package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.testing.TestDatabases;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Newest first means by event time, then by chain position; pages walk that order without gaps or
 * repeats, also across events that share a millisecond and when a clock stepped back between appends.
 */
class AuditQueryOrderTest {
  /** A clock the test sets. */
  private static final class SetClock extends Clock {
    long millis;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final Jdbi jdbi = TestDatabases.migrated();
  private final SetClock clock = new SetClock();
  private final AuditLog log = new AuditLog(jdbi, clock, new ObjectMapper(), true, TestDatabases.linking());
  private final AuditService service = new AuditService(log);

  private void append(long time, String actor) {
    clock.millis = time;
    AuditContext context = AuditContext.begin("req-" + time, "127.0.0.1", "test");
    try {
      context.actor(actor, "USER", null);
      context.action("catalog", "createCatalog");
      log.appendAlone(context, 200, null);
    } finally {
      AuditContext.end();
    }
  }

  private List<AuditEvent> walk(AuditFilter filter, int pageSize) {
    List<AuditEvent> all = new ArrayList<>();
    String token = null;
    do {
      AuditService.EventPage page = service.page(filter, pageSize, token);
      all.addAll(page.events());
      token = page.nextPageToken();
    } while (token != null);
    return all;
  }

  private static final Comparator<AuditEvent> NEWEST_FIRST =
      Comparator.comparingLong(AuditEvent::eventTime).thenComparingLong(AuditEvent::seq).reversed();

  @Test
  void pagesWalkTimeThenSeqOrderThroughTiesAndAClockStepBack() {
    long[] times = {1_000, 1_000, 1_000, 2_000, 1_500, 3_000, 3_000, 3_000, 900};
    for (int i = 0; i < times.length; i++) {
      append(times[i], i % 2 == 0 ? "alice" : "bob");
    }
    AuditFilter none = AuditService.filter(null, null, null, null, null, null, null, null);
    for (int size = 1; size <= 4; size++) {
      List<AuditEvent> events = walk(none, size);
      assertThat(events).hasSize(times.length).isSortedAccordingTo(NEWEST_FIRST);
      assertThat(events).extracting(AuditEvent::seq).doesNotHaveDuplicates();
    }
    List<AuditEvent> alice = walk(AuditService.filter("alice", null, null, null, null, null, null, null), 2);
    assertThat(alice).hasSize(5).isSortedAccordingTo(NEWEST_FIRST)
        .allSatisfy(e -> assertThat(e.actorName()).isEqualTo("alice"));
    List<AuditEvent> window = walk(AuditService.filter(null, "createCatalog", null, null, null, null, 1_000L, 2_000L), 2);
    assertThat(window).extracting(AuditEvent::eventTime).containsExactly(1_500L, 1_000L, 1_000L, 1_000L);
  }

  @Test
  void aTokenThisServerDidNotIssueIsRefused() {
    AuditFilter none = AuditService.filter(null, null, null, null, null, null, null, null);
    String notOurs = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("12".getBytes());
    assertThatThrownBy(() -> service.page(none, 10, notOurs)).isInstanceOf(GatehouseException.class);
    String garbage = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("a:b".getBytes());
    assertThatThrownBy(() -> service.page(none, 10, garbage)).isInstanceOf(GatehouseException.class);
  }
}
