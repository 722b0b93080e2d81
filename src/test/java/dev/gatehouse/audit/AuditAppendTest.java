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
 * What holds for both ways of linking events ({@link AuditLog.Linking}), on both databases: one
 * chain across instances, whether a change commits or rolls back.
 */
abstract class AuditAppendTest {
  final Jdbi jdbi = TestDatabases.migrated();
  /** Two logs over one database, as two instances are. */
  final AuditLog first = new AuditLog(jdbi, Clock.systemUTC(), new ObjectMapper(), true, linking());
  final AuditLog second = new AuditLog(jdbi, Clock.systemUTC(), new ObjectMapper(), true, linking());

  abstract AuditLog.Linking linking();

  static void append(AuditLog log, String name) {
    log.appendSystem("catalog", "createCatalog", "CATALOG", name, Map.of());
  }

  static AuditContext context(String fullName) {
    AuditContext context = new AuditContext(fullName, null, null);
    context.fullName = fullName;
    return context;
  }

  /**
   * A change on a thread of its own whose transaction appends the event {@code name} and then stays
   * open until {@link #end()}, which commits it or, if {@code commits} is false, rolls it back.
   */
  final class OpenChange implements AutoCloseable {
    private final CountDownLatch appended = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final boolean commits;
    private final Future<?> change;

    /** Returns once the event is appended, the transaction still open. */
    OpenChange(AuditLog log, String name, boolean commits) throws InterruptedException {
      this.commits = commits;
      change = thread.submit(() -> {
        jdbi.useTransaction(h -> {
          log.append(h, context(name), 200, null);
          appended.countDown();
          release.await();
          if (!commits) {
            throw new IllegalStateException("rolled back after its event was appended");
          }
        });
        log.awaitLinked(name);
        return null;
      });
      assertThat(appended.await(10, TimeUnit.SECONDS)).as("the event appended").isTrue();
    }

    /** Ends the transaction, and checks that it committed or rolled back as asked. */
    void end() throws Exception {
      release.countDown();
      if (commits) {
        change.get(10, TimeUnit.SECONDS);
      } else {
        assertThatThrownBy(() -> change.get(10, TimeUnit.SECONDS)).hasMessageContaining("rolled back");
      }
    }

    @Override
    public void close() {
      release.countDown();
      thread.shutdownNow();
    }
  }

  List<String> newestFirst() {
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

  List<String> chainOrder() {
    return jdbi.withHandle(h -> h.createQuery("SELECT full_name FROM audit_events ORDER BY seq")
        .mapTo(String.class).list());
  }

  /** Two instances, with many appenders each, build one chain with every event. */
  @Test
  void concurrentAppendersOnTwoInstancesFormOneChain() throws Exception {
    boolean rounds = linking() == AuditLog.Linking.AFTER_COMMIT;
    if (rounds) {
      first.chainer().start();
      second.chainer().start();
    }
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
      if (rounds) {
        first.chainer().stop();
        second.chainer().stop();
      }
    }
    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(verdict.eventsChecked()).isEqualTo(200);
    assertThat(stagedCount()).isZero();
  }

  long stagedCount() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM audit_pending").mapTo(Long.class).one());
  }
}
