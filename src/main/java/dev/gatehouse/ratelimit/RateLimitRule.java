package dev.gatehouse.ratelimit;

import dev.gatehouse.quota.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule: whom it applies to and its limits. {@code revision} grows with every change; bucket keys
 * carry it, so that a changed rule starts counting afresh instead of inheriting old counters.
 */
public record RateLimitRule(String id, Scope scope, List<Limit> limits, long revision, long createdAt,
    String createdBy, long updatedAt, String updatedBy) {

  public List<Limit> limits(Limit.Kind kind) {
    List<Limit> ofKind = new ArrayList<>(limits.size());
    for (Limit limit : limits) {  // a loop, not a stream: every gateway call asks, per rule and kind
      if (limit.kind() == kind) {
        ofKind.add(limit);
      }
    }
    return ofKind;
  }

  /** The scope as a unique key: one rule per scope. */
  static String scopeKey(Scope scope) {
    return scope.type().wire() + ":" + (scope.name() == null ? "" : scope.name()) + (scope.perMember() ? ":member" : "");
  }
}
