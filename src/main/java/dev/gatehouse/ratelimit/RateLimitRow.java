package dev.gatehouse.ratelimit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.quota.Scope;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** A rule as stored; {@code limits} is a JSON array of {kind, per, limit}. */
public record RateLimitRow(String id, String scopeType, String scopeName, boolean perMember, String scopeKey,
    String limits, long revision, long createdAt, String createdBy, long updatedAt, String updatedBy) {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record StoredLimit(String kind, String per, long limit) {}

  static RateLimitRow of(RateLimitRule rule) {
    List<StoredLimit> stored = rule.limits().stream()
        .map(l -> new StoredLimit(l.kind().wire(), l.per().wire(), l.limit())).toList();
    try {
      return new RateLimitRow(rule.id(), rule.scope().type().wire(), rule.scope().name(), rule.scope().perMember(),
          RateLimitRule.scopeKey(rule.scope()), JSON.writeValueAsString(stored), rule.revision(), rule.createdAt(),
          rule.createdBy(), rule.updatedAt(), rule.updatedBy());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  RateLimitRule rule() {
    List<StoredLimit> stored;
    try {
      stored = JSON.readValue(limits, new TypeReference<List<StoredLimit>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    // Stored names are canonical already: rebuilt as they are, not parsed again.
    Scope scope = new Scope(Scope.Type.valueOf(scopeType.toUpperCase(Locale.ROOT)), scopeName, perMember);
    return new RateLimitRule(id, scope, stored.stream()
        .map(l -> new Limit(Limit.Kind.valueOf(l.kind().toUpperCase(Locale.ROOT)),
            Limit.Per.valueOf(l.per().toUpperCase(Locale.ROOT)), l.limit())).toList(),
        revision, createdAt, createdBy, updatedAt, updatedBy);
  }
}
