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
    Future<Object> first = callers.submit(() -> writes.write("m", h -> {
      ran.add("m");
      await(release);
      return insert(h, "m");
    }));
    while (ran.isEmpty()) {
      Thread.sleep(5);
    }
    Future<Object> c = callers.submit(() -> writes.write("c", h -> record(h, "c")));
    Future<Object> a = callers.submit(() -> writes.write("a", h -> record(h, "a")));
    Future<Object> duplicate = callers.submit(() -> writes.write("b", h -> record(h, "m")));
    Thread.sleep(200);
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThatThrownBy(() -> duplicate.get(10, TimeUnit.SECONDS)).hasMessageContaining("batched_writes_test");
    // the shared transaction ran in key order (a, then the duplicate under key b, though c came
    // first) and rolled back at the duplicate; then each write ran alone: only the duplicate failed
    assertThat(ran).containsExactly("m", "a", "m", "c", "a", "m");
    List<String> stored = jdbi.withHandle(h -> h.createQuery("SELECT k FROM batched_writes_test ORDER BY k")
        .mapTo(String.class).list());
    assertThat(stored).containsExactly("a", "c", "m");
  }

  private int record(Handle h, String key) {
    ran.add(key);
    return insert(h, key);
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
