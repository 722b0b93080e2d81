package dev.gatehouse.common;

import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A value read from the database and kept in memory, reloaded once it is older than the interval:
 * by one caller, while the others go on with the stale value, so that the hot path never queues on
 * a reload. {@link #reload()} after a local change applies it here at once; other instances see it
 * within the interval.
 */
public final class Refreshed<T> {
  private final Supplier<T> loader;
  private final Clock clock;
  private final long intervalMillis;
  private final ReentrantLock reloading = new ReentrantLock();
  private volatile Loaded<T> loaded;

  private record Loaded<T>(T value, long at) {}

  public Refreshed(Supplier<T> loader, Clock clock, long intervalMillis) {
    this.loader = loader;
    this.clock = clock;
    this.intervalMillis = intervalMillis;
  }

  public T get() {
    Loaded<T> current = loaded;
    if (current != null && clock.millis() - current.at() < intervalMillis) {
      return current.value();
    }
    if (current == null) {
      reloading.lock();
    } else if (!reloading.tryLock()) {
      return current.value();
    }
    try {
      if (loaded == current) {
        loaded = new Loaded<>(loader.get(), clock.millis());
      }
      return loaded.value();
    } finally {
      reloading.unlock();
    }
  }

  /** Loads now, for a change made on this instance. */
  public T reload() {
    reloading.lock();
    try {
      loaded = new Loaded<>(loader.get(), clock.millis());
      return loaded.value();
    } finally {
      reloading.unlock();
    }
  }
}
