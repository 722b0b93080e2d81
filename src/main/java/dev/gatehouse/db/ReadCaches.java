package dev.gatehouse.db;

import com.github.benmanes.caffeine.cache.Cache;
import dev.gatehouse.common.Caches;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.JdbiConfig;

/**
 * Results of hot lookups (a securable by name, its tags, an access check's chain of grants, a
 * model's routing) kept per version of the catalog: each entry is keyed by the change epoch it was
 * read at ({@link dev.gatehouse.audit.ChangeEpoch}), so a change committed by any instance makes
 * every older entry unreachable on the next request. Nothing is ever stale, and a read costs one
 * tiny query instead of several. Loaders run outside the cache's locks: they may use other caches.
 *
 * <p>Held as Jdbi configuration so that code holding only a {@link Handle} reaches its own
 * application's caches (tests run several applications in one JVM); every handle shares the one
 * instance its Jdbi has.
 */
public final class ReadCaches implements JdbiConfig<ReadCaches> {
  private static final long NO_CACHING = -1;

  private LongSupplier epoch = () -> NO_CACHING;
  private Cache<Keyed, Object> entries = Caches.builder().maximumSize(0).build();

  private record Keyed(long epoch, Object key) {}

  public ReadCaches() {}

  /** Caches on {@code jdbi}, at most {@code maxEntries} entries, at the epoch {@code epoch} answers. */
  public static void install(Jdbi jdbi, LongSupplier epoch, long maxEntries) {
    ReadCaches caches = jdbi.getConfig(ReadCaches.class);
    caches.epoch = epoch;
    caches.entries = Caches.builder().maximumSize(maxEntries).expireAfterWrite(Duration.ofMinutes(10)).build();
  }

  public static ReadCaches of(Handle h) {
    return h.getConfig(ReadCaches.class);
  }

  public static ReadCaches of(Jdbi jdbi) {
    return jdbi.getConfig(ReadCaches.class);
  }

  /**
   * The value for {@code key} at the current epoch, loaded by {@code load} when absent or when the
   * caller may not use the cache. Keys are records naming what they look up; null is never cached.
   */
  @SuppressWarnings("unchecked")
  public <V> V get(Object key, Supplier<V> load) {
    long now = epoch.getAsLong();
    if (now < 0) {
      return load.get();
    }
    Keyed keyed = new Keyed(now, key);
    Object cached = entries.getIfPresent(keyed);
    if (cached != null) {
      return (V) cached;
    }
    V loaded = load.get();
    if (loaded != null) {
      entries.put(keyed, loaded);
    }
    return loaded;
  }

  /**
   * The change epoch this request reads at, or a negative number when it may not use caches (it
   * changes state, or runs outside a request): for holders of one large value that a new epoch
   * replaces, which the entry cache would keep one of per epoch.
   */
  public long epoch() {
    return epoch.getAsLong();
  }

  @Override
  public ReadCaches createCopy() {
    return this;
  }
}
