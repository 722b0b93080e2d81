package dev.gatehouse.identity;

import com.github.benmanes.caffeine.cache.Cache;
import dev.gatehouse.common.Caches;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Resolves a presented key to its {@link Caller}. Results (misses included) are cached for a short
 * TTL keyed by the key's hash, so a busy key costs one database round trip per TTL, and a revoke, a
 * deletion or a membership change takes effect on every instance within that TTL.
 */
public class ApiKeyAuthenticator {
  private static final long TOUCH_INTERVAL_MS = 60_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final Cache<String, Optional<Resolved>> cache;

  /** A resolved key: the caller and when the key stops working. */
  private record Resolved(Caller caller, Long expiresAt) {}

  public ApiKeyAuthenticator(Jdbi jdbi, Clock clock, Duration ttl) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.cache = Caches.builder().expireAfterWrite(ttl).maximumSize(100_000).build();
  }

  public Optional<Caller> authenticate(String key) {
    if (!ApiKeySecrets.plausible(key)) {
      return Optional.empty();
    }
    String hash = ApiKeySecrets.hash(key);
    Optional<Resolved> resolved = cache.get(hash, h -> load(ApiKeySecrets.prefix(key), h));
    long now = clock.millis();
    return resolved.filter(r -> r.expiresAt() == null || r.expiresAt() > now).map(Resolved::caller);
  }

  /** Forgets every cached key, so the next request of each is checked against the database. */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  private Optional<Resolved> load(String prefix, String hash) {
    long now = clock.millis();
    return jdbi.withHandle(h -> {
      ApiKeyDao keys = h.attach(ApiKeyDao.class);
      PrincipalDao principals = h.attach(PrincipalDao.class);
      Optional<ApiKeyRow> row = keys.findByPrefix(prefix)
          .filter(k -> ApiKeySecrets.sameHash(k.secretHash(), hash))
          .filter(k -> k.usableAt(now));
      if (row.isEmpty()) {
        return Optional.empty();
      }
      ApiKeyRow key = row.get();
      Optional<PrincipalRow> principal = principals.findById(key.principalId()).filter(PrincipalRow::active);
      if (principal.isEmpty()) {
        return Optional.empty();
      }
      keys.touch(key.id(), now, TOUCH_INTERVAL_MS);
      var groups = principals.transitiveGroups(key.principalId());
      Set<String> groupIds = groups.stream().map(PrincipalRow::id).collect(Collectors.toUnmodifiableSet());
      Set<String> groupNames = groups.stream().map(PrincipalRow::name).collect(Collectors.toUnmodifiableSet());
      PrincipalRow p = principal.get();
      Caller caller = new Caller(p.id(), p.name(), p.principalType(), key.id(), groupIds, groupNames,
          groupNames.contains(Caller.ADMINS_GROUP));
      return Optional.of(new Resolved(caller, key.expiresAt()));
    });
  }
}
