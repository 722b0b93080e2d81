package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestDatabases;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Changes stage their events; instances link them into one chain in rounds, after the changes
 * commit, whichever instance staged them, and whether a change commits or rolls back.
 */
class AuditAppendTest {
  private final Jdbi jdbi = TestDatabases.migrated();
  /** Two logs over one database, as two instances are. */
  private final AuditLog first = new AuditLog(jdbi, Clock.systemUTC(), new ObjectMapper(), true);
  private final AuditLog second = new AuditLog(jdbi, Clock.systemUTC(), new ObjectMapper(), true);

  private static void append(AuditLog log, String name) {
    log.appendSystem("catalog", "createCatalog", "CATALOG", name, Map.of());
  }

  private static AuditContext context(String fullName) {
    AuditContext context = new AuditContext(fullName, null, null);
    context.fullName = fullName;
    return context;
  }

  private List<String> newestFirst() {
    return first.page(AuditService.filter(null, null, null, null, null, null, null, null), null, 100).stream()
        .map(AuditEvent::fullName).toList();
  }

  @Test
  void instancesTakingTurnsFormOneChain() {
    append(first, "a");
    append(second, "b");
    append(second, "c");
    append(first, "d");
    append(first, "e");
    append(second, "f");

    AuditLog.Verification verdict = second.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(verdict.lastSeq()).isEqualTo(6);
    assertThat(newestFirst()).containsExactly("f", "e", "d", "c", "b", "a");
  }

  @Test
  void anAppendThatRolledBackIsNotLinkedTo() {
    append(first, "kept");
    assertThatThrownBy(() -> jdbi.useTransaction(h -> {
      first.append(h, new AuditContext("rolled-back", null, null), 200, null);
      throw new IllegalStateException("the change failed after its event was written");
    })).hasMessageContaining("the change failed");
    append(first, "next");

    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(verdict.lastSeq()).isEqualTo(2);
    assertThat(newestFirst()).containsExactly("next", "kept");
  }

  /**
   * A change whose transaction is still open holds up nobody: its event is only staged, and the
   * chain's head is taken by the linking round after it commits. Whether it commits or rolls back,
   * the chain stays whole.
   */
  @ParameterizedTest(name = "the first commits: {0}")
  @ValueSource(booleans = {true, false})
  void anOpenTransactionDoesNotHoldUpTheNextAppend(boolean firstCommits) throws Exception {
    append(first, "before");
    CountDownLatch staged = new CountDownLatch(1);
    CountDownLatch end = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(1);
    try {
      Future<?> open = threads.submit(() -> {
        jdbi.useTransaction(h -> {
          first.append(h, context("uncommitted"), 200, null);
          staged.countDown();
          end.await();
          if (!firstCommits) {
            throw new IllegalStateException("rolled back after its event was staged");
          }
        });
        first.awaitLinked("uncommitted");
        return null;
      });
      assertThat(staged.await(10, TimeUnit.SECONDS)).isTrue();
      append(second, "next");
      assertThat(newestFirst()).containsExactly("next", "before");
      end.countDown();
      if (firstCommits) {
        open.get(10, TimeUnit.SECONDS);
      } else {
        assertThatThrownBy(() -> open.get(10, TimeUnit.SECONDS)).hasMessageContaining("rolled back");
      }
    } finally {
      end.countDown();
      threads.shutdownNow();
    }

    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    // Linked in the order the changes committed, not the order they were staged in.
    assertThat(chainOrder()).containsExactlyElementsOf(
        firstCommits ? List.of("before", "next", "uncommitted") : List.of("before", "next"));
  }

  private List<String> chainOrder() {
    return jdbi.withHandle(h -> h.createQuery("SELECT full_name FROM audit_events ORDER BY seq")
        .mapTo(String.class).list());
  }

  /** Events an instance staged but did not link (it stopped first) are linked when one starts. */
  @Test
  void eventsLeftStagedAreLinkedWhenAnInstanceStarts() throws Exception {
    append(first, "linked");
    jdbi.useTransaction(h -> first.append(h, context("left staged"), 200, null));
    assertThat(first.verify().lastSeq()).isEqualTo(1);

    second.chainer().start();
    try {
      AuditLog.Verification verdict = first.verify();
      assertThat(verdict.ok()).as(verdict.reason()).isTrue();
      assertThat(verdict.lastSeq()).isEqualTo(2);
      assertThat(newestFirst()).containsExactly("left staged", "linked");
      assertThat(stagedCount()).isZero();
    } finally {
      second.chainer().stop();
    }
  }

  /** Two instances linking in rounds, with many appenders each, build one chain with every event. */
  @Test
  void concurrentAppendersOnTwoInstancesFormOneChain() throws Exception {
    first.chainer().start();
    second.chainer().start();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> appenders = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        AuditLog log = t % 2 == 0 ? first : second;
        int thread = t;
        appenders.add(threads.submit(() -> {
          for (int i = 0; i < 25; i++) {
            append(log, "t" + thread + "-" + i);
          }
        }));
      }
      for (Future<?> appender : appenders) {
        appender.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
      first.chainer().stop();
      second.chainer().stop();
    }
    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(verdict.eventsChecked()).isEqualTo(200);
    assertThat(stagedCount()).isZero();
  }

  /**
   * If linking fails the staged events wait, committed with their changes, and the append that
   * waited for them returns; the next round that succeeds links them in order.
   */
  @Test
  void eventsThatCannotBeLinkedYetStayStagedUntilTheyCan() {
    append(first, "a");
    jdbi.useHandle(h -> h.execute("ALTER TABLE audit_events ADD CONSTRAINT not_yet CHECK (full_name <> 'stuck')"));
    try {
      append(first, "stuck");
      assertThat(stagedCount()).isEqualTo(1);
      assertThat(first.verify().lastSeq()).isEqualTo(1);
    } finally {
      jdbi.useHandle(h -> h.execute("ALTER TABLE audit_events DROP CONSTRAINT not_yet"));
    }
    append(first, "c");
    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(newestFirst()).containsExactly("c", "stuck", "a");
    assertThat(stagedCount()).isZero();
  }

  private long stagedCount() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM audit_pending").mapTo(Long.class).one());
  }
}
