package dev.gatehouse.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  private final List<Integer> singles = new CopyOnWriteArrayList<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstBatchMayEnd = new CountDownLatch(1);
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final GroupCommit<Integer, Integer> group = new GroupCommit<>("test-group", this::batch, this::single);

  /** Doubles each item; refuses the whole batch when it holds a negative item, as a failed transaction would. */
  private List<Integer> batch(List<Integer> items) {
    batches.add(items);
    if (batches.size() == 1) {
      await(firstBatchMayEnd);
    }
    if (items.stream().anyMatch(i -> i < 0)) {
      throw new IllegalArgumentException("batch refused");
    }
    return items.stream().map(i -> i * 2).toList();
  }

  private Integer single(Integer item) {
    singles.add(item);
    threads.add(Thread.currentThread().getName());
    if (batches.isEmpty() && singles.size() == 1) {
      await(firstBatchMayEnd);
    }
    if (item < 0) {
      throw new IllegalArgumentException("negative: " + item);
    }
    return item * 2;
  }

  @AfterEach
  void stop() throws InterruptedException {
    firstBatchMayEnd.countDown();
    group.stop();
    callers.shutdownNow();
  }

  @Test
  void requestsArrivingDuringACommitShareTheNext() throws Exception {
    group.start();
    Future<Integer> first = callers.submit(() -> group.submit(1));
    awaitSize(singles, 1);  // the first item runs alone and holds the worker
    List<Future<Integer>> rest = new ArrayList<>();
    for (int i = 2; i <= 40; i++) {
      int item = i;
      rest.add(callers.submit(() -> group.submit(item)));
    }
    Thread.sleep(200);
    firstBatchMayEnd.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    for (int i = 0; i < rest.size(); i++) {
      assertThat(rest.get(i).get(10, TimeUnit.SECONDS)).isEqualTo((i + 2) * 2);
    }
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0)).hasSize(39);
  }

  @Test
  void aFailedBatchIsRetriedItemByItem_soOnlyTheBadItemFails() throws Exception {
    group.start();
    Future<Integer> first = callers.submit(() -> group.submit(1));
    awaitSize(singles, 1);
    Future<Integer> good = callers.submit(() -> group.submit(5));
    Future<Integer> bad = callers.submit(() -> group.submit(-3));
    Future<Integer> alsoGood = callers.submit(() -> group.submit(7));
    Thread.sleep(200);
    firstBatchMayEnd.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(10);
    assertThat(alsoGood.get(10, TimeUnit.SECONDS)).isEqualTo(14);
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("negative: -3");
    assertThat(batches).hasSize(1);
    assertThat(singles).contains(5, -3, 7);
  }

  @Test
  void beforeStartAndAfterStopTheCallerDoesItsOwnItem() throws Exception {
    firstBatchMayEnd.countDown();
    assertThat(group.submit(4)).isEqualTo(8);
    group.start();
    group.stop();
    assertThat(group.submit(6)).isEqualTo(12);
    assertThat(threads).containsOnly(Thread.currentThread().getName());
  }

  private static void awaitSize(List<?> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(list).hasSizeGreaterThanOrEqualTo(size);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
