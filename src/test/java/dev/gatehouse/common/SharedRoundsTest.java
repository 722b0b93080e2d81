package dev.gatehouse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rounds shared by callers, and gathered while more callers are on their way. */
class SharedRoundsTest {
  private static final long LONG_WINDOW_MILLIS = 60_000;
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger coming = new AtomicInteger();
  private SharedRounds<Integer> rounds;

  @AfterEach
  void stop() throws InterruptedException {
    rounds.stop(5_000);
  }

  private void start(long windowMillis) {
    rounds = new SharedRounds<>("test-rounds", runs::incrementAndGet, 0).gathering(windowMillis, coming::get);
    rounds.start();
  }

  private CompletableFuture<Integer> awaitAsync() {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return rounds.await(LONG_WINDOW_MILLIS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void aLoneCallerGetsItsRoundAtOnceEvenRightAfterAnother() throws Exception {
    start(LONG_WINDOW_MILLIS);
    assertThat(rounds.await(5_000)).isEqualTo(1);
    // Nobody on the way: no waiting for the window, though the last round began a moment ago.
    assertThat(rounds.await(5_000)).isEqualTo(2);
  }

  @Test
  void aRoundWaitsForCallersOnTheirWayAndServesThemTogether() throws Exception {
    start(LONG_WINDOW_MILLIS);
    rounds.await(5_000);
    coming.set(1);
    CompletableFuture<Integer> first = awaitAsync();
    Thread.sleep(300);
    assertThat(first).isNotDone();
    assertThat(runs.get()).isEqualTo(1);

    coming.decrementAndGet();
    CompletableFuture<Integer> second = awaitAsync();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void noRoundWaitsLongerThanTheWindowAfterThePreviousOne() throws Exception {
    start(1_000);
    rounds.await(5_000);
    long started = System.nanoTime();
    coming.set(1); // a caller that never arrives
    assertThat(rounds.await(5_000)).isEqualTo(2);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(500L, 4_500L);
  }

  @Test
  void roundsAreGatheredOnlyAfterARecentRound() throws Exception {
    start(1_000);
    rounds.await(5_000);
    Thread.sleep(1_100);
    coming.set(1);
    long started = System.nanoTime();
    // The window after the last round has closed: the caller on its way is not waited for.
    assertThat(rounds.await(5_000)).isEqualTo(2);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(900L);
  }
}
