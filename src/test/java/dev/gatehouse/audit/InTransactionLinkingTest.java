package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestDatabases;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Events linked in the transaction of their change ({@link InTransactionLinker}), H2's default. */
class InTransactionLinkingTest extends AuditAppendTest {
  @Override
  AuditLog.Linking linking() {
    return AuditLog.Linking.IN_TRANSACTION;
  }

  /**
   * An appender's turn ends when its event is written, not when its transaction commits: the next
   * appender of the instance goes on to the database and waits there, on the head's row lock, for the
   * one before it to end. H2 writes a commit to its file after releasing its row locks, so commits
   * that end meanwhile share the next write; had the turn been held until the commit returned, each
   * commit would be written alone (bench/README-audit.md). Whether the one waited for commits or
   * rolls back, the chain stays whole.
   */
  @ParameterizedTest(name = "the first commits: {0}")
  @ValueSource(booleans = {true, false})
  void theNextAppenderWaitsForAnUncommittedOneInTheDatabase(boolean firstCommits) throws Exception {
    append(first, "before");
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try (OpenChange uncommitted = new OpenChange(first, "uncommitted", firstCommits)) {
      Future<?> next = threads.submit(() -> append(first, "next"));
      awaitSessionWaitingOnALock();
      uncommitted.end();
      next.get(10, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(newestFirst()).containsExactlyElementsOf(
        firstCommits ? List.of("next", "uncommitted", "before") : List.of("next", "before"));
  }

  /** Until a session of the database waits for a lock another holds; fails after 10 s. */
  private void awaitSessionWaitingOnALock() throws InterruptedException {
    String waiting = TestDatabases.postgres()
        ? "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        : "SELECT count(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (jdbi.withHandle(h -> h.createQuery(waiting).mapTo(Long.class).one()) == 0) {
      assertThat(System.nanoTime()).as("a session waiting on the audit head's lock").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
