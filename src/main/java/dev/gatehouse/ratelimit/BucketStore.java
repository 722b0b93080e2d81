package dev.gatehouse.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;

/** Where the token buckets live: in this process (one instance) or in the shared database. */
public interface BucketStore {
  /** The bucket under {@code key}, made with {@code config} the first time the key is used. */
  Bucket bucket(String key, BucketConfiguration config);

  /** Bucket4j's time source read from the application's clock, so that tests can move time by hand. */
  static TimeMeter timeMeter(Clock clock) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return clock.millis() * 1_000_000L;
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }
}
