package dev.gatehouse.common;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * One thread runs a piece of work in rounds, and callers share them: a caller that arrives while a
 * round runs waits for the next one, which therefore starts after the caller arrived and sees
 * everything committed before that. Many concurrent callers then cost one run, not one each.
 * Before {@link #start()} (and after {@link #stop()}) a caller runs the work itself.
 *
 * <p>With {@link #gathering} a round asked for also waits, for at most a window after the start of
 * the one before, while more callers are on their way: under load rounds then come at most once a
 * window, each for many callers, and a lone caller still gets its round at once.
 */
public final class SharedRounds<T> {
  private final String threadName;
  private final Callable<T> work;
  private final long idleMillis;
  private final Object lock = new Object();
  /** The round that starts next; callers arriving now join it. Guarded by lock. */
  private CompletableFuture<T> nextRound;
  private long gatherNanos;
  private IntSupplier stillComing = () -> 0;
  private boolean running;
  private Thread thread;

  /**
   * {@code idleMillis}: with no caller for that long the work runs anyway (0: only for callers),
   * for work that also has to be done when nobody asks.
   */
  public SharedRounds(String threadName, Callable<T> work, long idleMillis) {
    this.threadName = threadName;
    this.work = work;
    this.idleMillis = idleMillis;
  }

  /**
   * A round asked for waits, at most {@code windowMillis} after the previous round started, while
   * {@code stillComing} counts callers on their way. Set before {@link #start()}.
   */
  public SharedRounds<T> gathering(long windowMillis, IntSupplier stillComing) {
    this.gatherNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    this.stillComing = stillComing;
    return this;
  }

  /**
   * The result of a round that started after this call, waiting at most {@code timeoutMillis}.
   *
   * @throws ExecutionException the round's work failed
   * @throws TimeoutException no round ended in time
   */
  public T await(long timeoutMillis) throws ExecutionException, TimeoutException, InterruptedException {
    CompletableFuture<T> round;
    synchronized (lock) {
      if (running) {
        if (nextRound == null) {
          nextRound = new CompletableFuture<>();
        }
        // Wakes the thread, waiting for a caller or gathering (it then counts again who is on the way).
        lock.notifyAll();
        round = nextRound;
      } else {
        round = null;
      }
    }
    if (round == null) {
      try {
        return work.call();
      } catch (Exception e) {
        throw new ExecutionException(e);
      }
    }
    return round.get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public void start() {
    synchronized (lock) {
      running = true;
    }
    thread = new Thread(this::serve, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  public void stop(long joinMillis) throws InterruptedException {
    synchronized (lock) {
      running = false;
      lock.notifyAll();
    }
    if (thread != null) {
      thread.join(joinMillis);
    }
  }

  private void serve() {
    long lastStart = System.nanoTime() - gatherNanos;
    while (true) {
      CompletableFuture<T> round;
      synchronized (lock) {
        try {
          waitForCaller();
          gather(lastStart);
        } catch (InterruptedException e) {
          running = false;
        }
        round = nextRound;
        nextRound = null;
        if (!running) {
          if (round != null) {
            round.completeExceptionally(new IllegalStateException(threadName + " stopped"));
          }
          return;
        }
      }
      lastStart = System.nanoTime();
      try {
        T result = work.call();
        if (round != null) {
          round.complete(result);
        }
      } catch (Throwable e) { // the thread serves on: its callers each get the failure
        if (round != null) {
          round.completeExceptionally(e);
        }
      }
    }
  }

  /** Until a caller asks for a round, or idleMillis pass. Holds lock. */
  private void waitForCaller() throws InterruptedException {
    long idleUntil = System.currentTimeMillis() + idleMillis;
    while (running && nextRound == null && (idleMillis == 0 || System.currentTimeMillis() < idleUntil)) {
      lock.wait(idleMillis == 0 ? 0 : Math.max(1, idleUntil - System.currentTimeMillis()));
    }
  }

  /** While callers are on their way to the round asked for, until its window closes. Holds lock. */
  private void gather(long lastStart) throws InterruptedException {
    long left;
    while (running && nextRound != null && stillComing.getAsInt() > 0
        && (left = lastStart + gatherNanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.timedWait(lock, left);
    }
  }
}
