package dev.gatehouse.ratelimit;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.ApiKeyDao;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.quota.Scope;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Rate-limit rules. Admins and holders of MANAGE on the metastore (or its owner) manage them; anyone
 * else sees only the rules that can apply to its own calls, and gets 404 for the others. A rule names
 * something that exists (key, principal, group, model, schema or catalog): 404 otherwise.
 */
public class RateLimitService {
  static final String AUDIT_TYPE = "rate_limit";
  /** Kinds times periods: a rule holds at most one limit of each. */
  static final int MAX_LIMITS = Limit.Kind.values().length * Limit.Per.values().length;

  private final Jdbi jdbi;
  private final Clock clock;
  private final AccessControl access;
  private final RateLimitRules rules;

  public RateLimitService(Jdbi jdbi, Clock clock, AccessControl access, RateLimitRules rules) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.access = access;
    this.rules = rules;
  }

  /** A limit as the client sent it, before validation. */
  public record LimitInput(String kind, String per, Long limit) {}

  public RateLimitRule create(Caller caller, String scopeType, String scopeName, Boolean perMember,
      List<LimitInput> limits) {
    Scope scope = Scope.parse(scopeType, scopeName, perMember);
    List<Limit> parsed = limits(limits);
    return changing(h -> {
      requireManager(h, caller);
      requireExists(h, scope);
      RateLimitDao dao = h.attach(RateLimitDao.class);
      if (dao.findByScope(RateLimitRule.scopeKey(scope)).isPresent()) {
        throw GatehouseException.alreadyExists("Rate-limit rule for scope", RateLimitRule.scopeKey(scope));
      }
      long now = clock.millis();
      RateLimitRule rule = new RateLimitRule(Ids.newId(), scope, parsed, 1, now, caller.name(), now, caller.name());
      AuditContext.current().target(AUDIT_TYPE, rule.id());
      dao.insert(RateLimitRow.of(rule));
      return rule;
    });
  }

  public RateLimitRule update(Caller caller, String id, String scopeType, String scopeName, Boolean perMember,
      List<LimitInput> limits) {
    AuditContext.current().target(AUDIT_TYPE, id);
    Scope scope = Scope.parse(scopeType, scopeName, perMember);
    List<Limit> parsed = limits(limits);
    return changing(h -> {
      RateLimitDao dao = h.attach(RateLimitDao.class);
      RateLimitRule old = requireManagerOf(h, caller, id);
      requireExists(h, scope);
      Optional<RateLimitRow> sameScope = dao.findByScope(RateLimitRule.scopeKey(scope));
      if (sameScope.isPresent() && !sameScope.get().id().equals(id)) {
        throw GatehouseException.alreadyExists("Rate-limit rule for scope", RateLimitRule.scopeKey(scope));
      }
      RateLimitRule rule = new RateLimitRule(id, scope, parsed, old.revision() + 1, old.createdAt(), old.createdBy(),
          clock.millis(), caller.name());
      dao.update(RateLimitRow.of(rule));
      return rule;
    });
  }

  public void delete(Caller caller, String id) {
    AuditContext.current().target(AUDIT_TYPE, id);
    changing(h -> {
      requireManagerOf(h, caller, id);
      h.attach(RateLimitDao.class).delete(id);
      return null;
    });
  }

  public RateLimitRule get(Caller caller, String id) {
    AuditContext.current().target(AUDIT_TYPE, id);
    return jdbi.withHandle(h -> {
      Optional<RateLimitRule> rule = h.attach(RateLimitDao.class).find(id).map(RateLimitRow::rule);
      if (rule.isEmpty() || !(isManager(h, caller) || appliesTo(h, caller, rule.get()))) {
        throw GatehouseException.notFound("Rate-limit rule", id);
      }
      return rule.get();
    });
  }

  /** One page of the rules the caller may see, by id. */
  public Page<RateLimitRule> list(Caller caller, PageRequest page) {
    return jdbi.withHandle(h -> {
      boolean manager = isManager(h, caller);
      List<RateLimitRule> visible = new ArrayList<>();
      for (RateLimitRow row : h.attach(RateLimitDao.class).all()) {
        if (page.after() != null && row.id().compareTo(page.after()) <= 0) {
          continue;
        }
        RateLimitRule rule = row.rule();
        if (manager || appliesTo(h, caller, rule)) {
          visible.add(rule);
          if (visible.size() == page.fetchSize()) {
            break;
          }
        }
      }
      return Page.of(visible, page, RateLimitRule::id);
    });
  }

  /**
   * Runs a change in a transaction (joining the audit filter's, when there is one) and makes the
   * guard read the rules again once it committed, and at once as well for this instance.
   */
  private <T> T changing(org.jdbi.v3.core.HandleCallback<T, RuntimeException> change) {
    T result = jdbi.inTransaction(h -> {
      h.afterCommit(rules::invalidate);
      return change.withHandle(h);
    });
    rules.invalidate();
    return result;
  }

  private List<Limit> limits(List<LimitInput> given) {
    if (given == null || given.isEmpty()) {
      throw GatehouseException.invalid("'limits' must hold at least one limit.");
    }
    if (given.size() > MAX_LIMITS) {
      throw GatehouseException.invalid("'limits' holds at most " + MAX_LIMITS + " limits, one per kind and period.");
    }
    List<Limit> parsed = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (LimitInput input : given) {
      if (input == null) {
        throw GatehouseException.invalid("'limits' must not hold null.");
      }
      Limit limit = Limit.parse(input.kind(), input.per(), input.limit());
      if (!seen.add(limit.kind() + "/" + limit.per())) {
        throw GatehouseException.invalid("'limits' holds two " + limit.kind().wire() + " limits per "
            + limit.per().wire() + "; give one.");
      }
      parsed.add(limit);
    }
    return List.copyOf(parsed);
  }

  private void requireManager(Handle h, Caller caller) {
    access.requireManage(caller, metastore(h));
  }

  /** The rule, for a manager to change: 404 when the caller may not even see it, 403 when it may only see it. */
  private RateLimitRule requireManagerOf(Handle h, Caller caller, String id) {
    Optional<RateLimitRule> rule = h.attach(RateLimitDao.class).find(id).map(RateLimitRow::rule);
    if (isManager(h, caller)) {
      return rule.orElseThrow(() -> GatehouseException.notFound("Rate-limit rule", id));
    }
    if (rule.isEmpty() || !appliesTo(h, caller, rule.get())) {
      AuditContext.current().denied();
      throw GatehouseException.notFound("Rate-limit rule", id);
    }
    requireManager(h, caller);
    return rule.get();
  }

  private boolean isManager(Handle h, Caller caller) {
    return access.canManage(caller, metastore(h));
  }

  private static SecurableRow metastore(Handle h) {
    return h.attach(SecurableDao.class).findById(SecurableRow.METASTORE_ID).orElseThrow();
  }

  /** Whether the rule can apply to the caller's calls: its key, itself, its groups, everyone, a model it sees. */
  private boolean appliesTo(Handle h, Caller caller, RateLimitRule rule) {
    Scope scope = rule.scope();
    return switch (scope.type()) {
      case GLOBAL -> true;
      case PRINCIPAL, GROUP -> scope.covers(caller, "");
      case KEY -> h.attach(ApiKeyDao.class).findById(scope.name())
          .map(key -> key.principalId().equals(caller.principalId())).orElse(false);
      case MODEL -> securable(h, scope.name()).map(row -> access.isVisible(caller, row)).orElse(false);
    };
  }

  private void requireExists(Handle h, Scope scope) {
    switch (scope.type()) {
      case GLOBAL -> { }
      case KEY -> h.attach(ApiKeyDao.class).findById(scope.name())
          .orElseThrow(() -> GatehouseException.notFound("API key", scope.name()));
      case PRINCIPAL -> principal(h, scope.name(), EnumSet.of(PrincipalType.USER, PrincipalType.SERVICE_PRINCIPAL),
          "Principal");
      case GROUP -> principal(h, scope.name(), EnumSet.of(PrincipalType.GROUP), "Group");
      case MODEL -> {
        String[] parts = scope.name().split("\\.", -1);
        if (parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
          throw GatehouseException.invalid("A model scope names a catalog, a schema (catalog.schema) or a registered"
              + " model (catalog.schema.model), not '" + scope.name() + "'.");
        }
        securable(h, scope.name()).orElseThrow(() -> GatehouseException.notFound(
            new String[] {"Catalog", "Schema", "Registered model"}[parts.length - 1], scope.name()));
      }
    }
  }

  private static void principal(Handle h, String nameKey, Set<PrincipalType> types, String what) {
    Optional<PrincipalRow> row = h.attach(PrincipalDao.class).findByNameKey(nameKey)
        .filter(p -> types.contains(p.principalType()));
    if (row.isEmpty()) {
      throw GatehouseException.notFound(what, nameKey);
    }
  }

  /** The catalog, schema or registered model a model scope names, by the number of its parts. */
  private static Optional<SecurableRow> securable(Handle h, String fullName) {
    int parts = fullName.split("\\.", -1).length;
    SecurableType type = parts == 1 ? SecurableType.CATALOG : parts == 2 ? SecurableType.SCHEMA
        : SecurableType.REGISTERED_MODEL;
    return parts > 3 ? Optional.empty() : h.attach(SecurableDao.class).find(type, fullName);
  }
}
