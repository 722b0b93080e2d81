package dev.gatehouse.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import dev.gatehouse.common.Caches;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Clock;
import java.time.Duration;

/**
 * Buckets in this process's memory: exact for a single instance (H2), no database round trip. A
 * bucket unused for longer than the longest period (a day) is full again, so forgetting it then
 * changes nothing; no size bound, since evicting a bucket in use would hand out its tokens again.
 */
public class LocalBucketStore implements BucketStore {
  static final Duration IDLE_EXPIRY = Limit.Per.DAY.period().plusHours(1);

  private final Cache<String, Bucket> buckets = Caches.builder().expireAfterAccess(IDLE_EXPIRY).build();
  private final TimeMeter time;

  public LocalBucketStore(Clock clock) {
    this.time = BucketStore.timeMeter(clock);
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration config) {
    return buckets.get(key, k -> {
      LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(time);
      for (var bandwidth : config.getBandwidths()) {
        builder.addLimit(bandwidth);
      }
      return builder.build();
    });
  }
}
