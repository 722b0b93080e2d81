package dev.gatehouse.identity;

import com.github.benmanes.caffeine.cache.Cache;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.Caches;
import dev.gatehouse.common.CostTags;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys: created for oneself (or, by admins, for any user or service principal), listed and
 * revoked by their owner or an admin. The secret leaves the server once, in the creation answer.
 */
public class ApiKeyService {
  private final Jdbi jdbi;
  private final Clock clock;
  private final ApiKeyAuthenticator authenticator;
  /** Default tags by key id, read on every inference call: a key's tags never change after creation. */
  private final Cache<String, Map<String, String>> tagCache =
      Caches.builder().expireAfterWrite(Duration.ofMinutes(10)).maximumSize(100_000).build();

  public ApiKeyService(Jdbi jdbi, Clock clock, ApiKeyAuthenticator authenticator) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.authenticator = authenticator;
  }

  /**
   * A key row with its principal's name and default cost tags; {@code secret} is set only right
   * after creation.
   */
  public record KeyView(ApiKeyRow row, String principal, String secret, Map<String, String> defaultTags) {}

  public KeyView create(Caller caller, String name, String principalName, Long expiresAt) {
    return create(caller, name, principalName, expiresAt, Map.of());
  }

  public KeyView create(Caller caller, String name, String principalName, Long expiresAt,
      Map<String, String> defaultTags) {
    String label = PrincipalNames.require("name", name);
    Map<String, String> tags = CostTags.validated(defaultTags);
    long now = clock.millis();
    if (expiresAt != null && expiresAt <= now) {
      throw GatehouseException.invalid("'expires_at' must be in the future.");
    }
    return jdbi.inTransaction(h -> {
      PrincipalRow owner = principalName == null ? self(h, caller) : named(h, caller, principalName);
      if (owner.principalType() == PrincipalType.GROUP) {
        throw GatehouseException.invalid("Keys belong to users or service principals, not groups.");
      }
      AuditContext.current().target("api_key", owner.name());
      String key = ApiKeySecrets.newKey();
      ApiKeyRow row = insert(h, owner.id(), label, key, caller.name(), expiresAt, now);
      if (!tags.isEmpty()) {
        h.attach(ApiKeyTagDao.class).insert(row.id(), new ArrayList<>(tags.keySet()), new ArrayList<>(tags.values()));
      }
      return new KeyView(row, owner.name(), key, tags);
    });
  }

  /** Stores a key whose secret the caller already holds (the bootstrap key). */
  static ApiKeyRow insert(Handle h, String principalId, String name, String key, String createdBy, Long expiresAt,
      long now) {
    ApiKeyRow row = new ApiKeyRow(Ids.newId(), principalId, name, ApiKeySecrets.prefix(key), ApiKeySecrets.hash(key),
        now, createdBy, expiresAt, null, null);
    h.attach(ApiKeyDao.class).insert(row);
    return row;
  }

  public Page<KeyView> list(Caller caller, String principalName, PageRequest page) {
    return jdbi.withHandle(h -> {
      PrincipalRow owner = principalName == null ? self(h, caller) : named(h, caller, principalName);
      var rows = h.attach(ApiKeyDao.class).listByPrincipal(owner.id(), page.after(), page.fetchSize());
      Map<String, Map<String, String>> tags = new HashMap<>();
      if (!rows.isEmpty()) {
        h.attach(ApiKeyTagDao.class).ofAll(rows.stream().map(ApiKeyRow::id).toList()).forEach(t ->
            tags.computeIfAbsent(t.keyId(), k -> new TreeMap<>()).put(t.tagKey(), t.tagValue()));
      }
      return Page.of(rows, page, ApiKeyRow::id)
          .map(r -> new KeyView(r, owner.name(), null, tags.getOrDefault(r.id(), Map.of())));
    });
  }

  public KeyView get(Caller caller, String id) {
    return jdbi.withHandle(h -> view(h, visible(h, caller, id)));
  }

  public KeyView revoke(Caller caller, String id) {
    KeyView view = jdbi.inTransaction(h -> {
      ApiKeyRow row = visible(h, caller, id);
      h.attach(ApiKeyDao.class).revoke(row.id(), clock.millis());
      return view(h, h.attach(ApiKeyDao.class).findById(row.id()).orElseThrow());
    });
    authenticator.invalidateAll();
    return view;
  }

  /** A key the caller may see: its own, or any for admins; others are answered as missing. */
  private static ApiKeyRow visible(Handle h, Caller caller, String id) {
    return h.attach(ApiKeyDao.class).findById(id)
        .filter(k -> caller.admin() || k.principalId().equals(caller.principalId()))
        .orElseThrow(() -> GatehouseException.notFound("API key", id));
  }

  private static KeyView view(Handle h, ApiKeyRow row) {
    String principal = h.attach(PrincipalDao.class).findById(row.principalId()).map(PrincipalRow::name).orElse(null);
    return new KeyView(row, principal, null, tags(h, row.id()));
  }

  /** A key's default cost tags (empty when none), as every usage record of its calls carries them. */
  public Map<String, String> defaultTags(String keyId) {
    return tagCache.get(keyId, id -> jdbi.withHandle(h -> tags(h, id)));
  }

  private static Map<String, String> tags(Handle h, String keyId) {
    Map<String, String> tags = new TreeMap<>();
    h.attach(ApiKeyTagDao.class).of(keyId).forEach(t -> tags.put(t.tagKey(), t.tagValue()));
    return Collections.unmodifiableMap(tags);
  }

  private static PrincipalRow self(Handle h, Caller caller) {
    return h.attach(PrincipalDao.class).findById(caller.principalId())
        .orElseThrow(() -> GatehouseException.notFound("Principal", caller.name()));
  }

  private static PrincipalRow named(Handle h, Caller caller, String principalName) {
    if (!caller.admin() && !PrincipalDao.key(principalName).equals(PrincipalDao.key(caller.name()))) {
      throw GatehouseException.denied("Only metastore admins may manage other principals' keys.");
    }
    return h.attach(PrincipalDao.class).findByNameKey(PrincipalDao.key(principalName))
        .orElseThrow(() -> GatehouseException.notFound("Principal", principalName));
  }
}
