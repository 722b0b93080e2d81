package dev.gatehouse.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import dev.gatehouse.common.Caches;
import dev.gatehouse.common.Daemons;
import io.dropwizard.lifecycle.Managed;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets in PostgreSQL (table rate_limit_buckets), shared by every instance on the database: each
 * operation is one transaction that locks the bucket's row (SELECT ... FOR UPDATE), so concurrent
 * consumers on any instance are serialized and the limit holds exactly; concurrent commands on one
 * bucket share such a transaction. A bucket idle long enough to be full again is deleted by a
 * periodic sweep.
 */
public class PostgresBucketStore implements BucketStore, Managed {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresBucketStore.class);
  /** How long a full bucket's row is kept after it refilled: a returning caller finds it without an insert. */
  static final Duration KEEP_AFTER_FULL = Duration.ofMinutes(10);
  static final int SWEEP_BATCH = 1000;
  static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

  private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;
  /** How long an unused bucket proxy is kept: well under KEEP_AFTER_FULL (see {@link #bucket}). */
  static final Duration PROXY_IDLE = Duration.ofMinutes(5);
  /** Bucket proxies by key: building one is not free. */
  private final Cache<String, Bucket> buckets = Caches.builder().expireAfterAccess(PROXY_IDLE)
      .maximumSize(100_000).build();
  private ScheduledExecutorService sweeper;

  public PostgresBucketStore(DataSource dataSource, Clock clock) {
    this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
        .primaryKeyMapper(PrimaryKeyMapper.STRING)
        .table("rate_limit_buckets")
        .idColumn("id")
        .stateColumn("state")
        .expiresAtColumn("expires_at")
        .clientClock(BucketStore.timeMeter(clock))
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
        .build();
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration config) {
    return buckets.get(key, k -> {
      // Commands of concurrent calls on one bucket are batched: one transaction (one row lock)
      // runs them all, in turn, so the limit still holds exactly. Bucket4j 8.14 sends a batch
      // without the bucket's configuration, so a batch that reaches a row not created yet fails
      // ("bucket does not exist", seen with 200 first calls on two instances), where an unbatched
      // command creates the row itself. So each instance's first command on a key goes unbatched.
      // The row is then deleted only once expired, at least KEEP_AFTER_FULL after its last write,
      // and this proxy is forgotten sooner (PROXY_IDLE after its last use), so no batch finds it gone.
      proxies.builder().build(k, () -> config).getAvailableTokens();
      return proxies.builder().withOptimization(Optimizations.batching()).build(k, () -> config);
    });
  }

  @Override
  public void start() {
    sweeper = Daemons.scheduler("rate-limit-bucket-sweeper");
    sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
  }

  void sweep() {
    try {
      int removed;
      do {
        removed = proxies.removeExpired(SWEEP_BATCH);
      } while (removed == SWEEP_BATCH);
    } catch (RuntimeException e) {
      LOG.warn("Could not remove expired rate-limit buckets; retried at the next sweep", e);
    }
  }
}
