package dev.gatehouse.common;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Background timers: daemon threads, so that none of them keeps a stopping server's JVM alive. */
public final class Daemons {
  private Daemons() {}

  /** A scheduler of {@code threads} daemon threads, each named {@code name}. */
  public static ScheduledExecutorService scheduler(String name, int threads) {
    return Executors.newScheduledThreadPool(threads, task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  public static ScheduledExecutorService scheduler(String name) {
    return scheduler(name, 1);
  }
}
