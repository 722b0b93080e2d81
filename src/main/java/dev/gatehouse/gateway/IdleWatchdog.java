package dev.gatehouse.gateway;

import dev.gatehouse.common.Daemons;
import io.dropwizard.lifecycle.Managed;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes upstream streams that have sent nothing for their idle timeout, so a stalled provider
 * frees its client and thread instead of holding them forever. One timer for all streams.
 */
public class IdleWatchdog implements Managed {
  private final Map<Watch, Boolean> watched = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  /** A watched stream; {@link #touch()} on every chunk, {@link #close()} when done. */
  public final class Watch implements AutoCloseable {
    private final Closeable stream;
    private final long idleNanos;
    private volatile long last = System.nanoTime();
    private volatile boolean fired;

    private Watch(Closeable stream, long idleMillis) {
      this.stream = stream;
      this.idleNanos = idleMillis * 1_000_000L;
    }

    public void touch() {
      last = System.nanoTime();
    }

    /** Whether the stream was closed for being idle. */
    public boolean fired() {
      return fired;
    }

    @Override
    public void close() {
      watched.remove(this);
    }

    private void check(long now) {
      if (now - last > idleNanos) {
        fired = true;
        watched.remove(this);
        try {
          stream.close();
        } catch (IOException ignored) {
          // closing is the point; the reader sees the stream end
        }
      }
    }
  }

  public Watch watch(Closeable stream, long idleMillis) {
    Watch w = new Watch(stream, idleMillis);
    watched.put(w, Boolean.TRUE);
    return w;
  }

  @Override
  public void start() {
    timer = Daemons.scheduler("gateway-idle-watchdog");
    timer.scheduleWithFixedDelay(() -> {
      long now = System.nanoTime();
      watched.keySet().forEach(w -> w.check(now));
    }, 200, 200, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
