package dev.gatehouse.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.TestDatabases;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes of concurrent requests share a transaction, ordered by the rows they lock, on the real database. */
class BatchedWritesTest {
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final List<String> committed = new CopyOnWriteArrayList<>();
  private Jdbi jdbi;
  private BatchedWrites writes;

  @BeforeEach
  void setUp() {
    jdbi = TestDatabases.migrated();
    jdbi.useHandle(h -> h.execute("CREATE TABLE batched_writes_test (k VARCHAR(10) PRIMARY KEY)"));
    writes = new BatchedWrites(jdbi);
    writes.start();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    writes.stop();
    callers.shutdownNow();
  }

  @Test
  void writesWaitingTogetherCommitTogetherInLockKeyOrder_andABadOneFailsAlone() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?> first = callers.submit(() -> writes.write(List.of(new BatchedWrites.Step("m", h -> {
      ran.add("m");
      await(release);
      insert(h, "m");
      return () -> committed.add("m");
    }))));
    while (ran.isEmpty()) {
      Thread.sleep(5);
    }
    // one write of two steps: its steps take their places in key order, and commit with the rest
    Future<?> c = callers.submit(() -> writes.write(List.of(step("c"), step("a"))));
    Thread.sleep(50);
    Future<?> duplicate = callers.submit(() -> writes.write(List.of(step("b"), step("m"))));
    Thread.sleep(200);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    c.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> duplicate.get(10, TimeUnit.SECONDS)).hasMessageContaining("batched_writes_test");
    // the shared transaction ran in key order (a, b, then the duplicate m under key m, though c came
    // first) and rolled back at the duplicate; then each write ran alone: only the duplicate failed,
    // and only what committed ran its after-commit action
    assertThat(ran).containsExactly("m", "a", "b", "c", "m", "a", "c", "b", "m");
    assertThat(committed).containsExactlyInAnyOrder("m", "c", "a");
    List<String> stored = jdbi.withHandle(h -> h.createQuery("SELECT k FROM batched_writes_test ORDER BY k")
        .mapTo(String.class).list());
    assertThat(stored).containsExactly("a", "c", "m");
  }

  @Test
  void aWriteWithNoStepsCommitsNothing() {
    writes.write(List.of());
    assertThat(ran).isEmpty();
  }

  private BatchedWrites.Step step(String key) {
    return new BatchedWrites.Step(key, h -> {
      ran.add(key);
      insert(h, key);
      return () -> committed.add(key);
    });
  }

  private static int insert(Handle h, String key) {
    return h.createUpdate("INSERT INTO batched_writes_test (k) VALUES (:k)").bind("k", key).execute();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
