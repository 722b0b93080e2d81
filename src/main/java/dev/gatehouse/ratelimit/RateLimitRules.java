package dev.gatehouse.ratelimit;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.gatehouse.common.Caches;
import dev.gatehouse.identity.Caller;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Every rule, held in memory for a short TTL: the gateway's hot path reads no rule from the
 * database, a change made here is seen at once (the writer invalidates), and one made through
 * another instance within the TTL.
 */
public class RateLimitRules {
  private final LoadingCache<Boolean, List<RateLimitRule>> all;

  public RateLimitRules(Jdbi jdbi, Duration ttl) {
    this.all = Caches.builder().expireAfterWrite(ttl).maximumSize(1)
        .build(ignored -> jdbi.withHandle(h -> h.attach(RateLimitDao.class).all()).stream()
            .map(RateLimitRow::rule).toList());
  }

  /** The rules whose scope covers a call by {@code caller} to the model {@code modelFullName}. */
  public List<RateLimitRule> covering(Caller caller, String modelFullName) {
    List<RateLimitRule> rules = all.get(Boolean.TRUE);
    if (rules.isEmpty()) {
      return List.of();
    }
    return rules.stream().filter(rule -> rule.scope().covers(caller, modelFullName)).toList();
  }

  /** Forgets the rules, so that the next call reads them again. */
  public void invalidate() {
    all.invalidateAll();
  }
}
