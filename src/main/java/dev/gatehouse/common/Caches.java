package dev.gatehouse.common;

import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Caffeine builders for Gatehouse's in-memory caches, whose upkeep (draining the buffers of
 * recorded reads, expiring, evicting) runs on the thread that used the cache. Caffeine hands it to
 * {@code ForkJoinPool.commonPool()} by default: on the gateway's path that woke a pool thread every
 * few reads of a hot entry, and the wake-ups (1.2% of a call's CPU samples in the gateway
 * benchmark) cost more than the upkeep itself, which is a few dozen entries at a time under a lock
 * that other readers skip rather than wait for.
 */
public final class Caches {
  private Caches() {}

  public static Caffeine<Object, Object> builder() {
    return Caffeine.newBuilder().executor(Runnable::run);
  }
}
