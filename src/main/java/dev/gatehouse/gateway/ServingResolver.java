package dev.gatehouse.gateway;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.common.ErrorCode;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.models.ServingLookup;
import dev.gatehouse.models.ServingRoutes;
import dev.gatehouse.securable.SecurableRow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a request's {@code model} into the versions to try, in order: the chosen one (by version,
 * alias, weighted serving routes, else champion), then the model's fallback aliases. The caller
 * must hold EXECUTE on the model: without it the model is answered as missing (404) when invisible,
 * forbidden (403) when visible.
 */
public class ServingResolver {
  static final String DEFAULT_ALIAS = "champion";

  private final ServingLookup lookup;
  private final AccessControl access;

  public ServingResolver(ServingLookup lookup, AccessControl access) {
    this.lookup = lookup;
    this.access = access;
  }

  public List<Target> resolve(Caller caller, ModelRef ref, String requested) {
    SecurableRow model = lookup.model(ref.modelFullName()).orElseThrow(() -> GatewayException.modelNotFound(requested));
    requireExecute(caller, model, requested);
    ServingRoutes routes = lookup.routes(model.id());
    List<Target> targets = new ArrayList<>();
    if (ref.version() != null) {
      targets.add(byVersion(model, ref.version(), null, requested));
    } else {
      String alias = ref.alias() != null ? ref.alias() : pick(routes);
      targets.add(byAlias(model, alias).orElseThrow(() -> new GatewayException(404, "invalid_request_error",
          "model_not_found", "The model '" + requested + "' has no version serving as '" + alias + "'.", "model")));
    }
    Set<Long> tried = new LinkedHashSet<>();
    tried.add(targets.get(0).version());
    for (String fallback : routes.fallbacks()) {
      byAlias(model, fallback).filter(t -> tried.add(t.version())).ifPresent(targets::add);
    }
    return targets;
  }

  public boolean canExecute(Caller caller, SecurableRow model) {
    return access.allows(caller, model, Privilege.EXECUTE);
  }

  private void requireExecute(Caller caller, SecurableRow model, String requested) {
    try {
      access.require(caller, model, Privilege.EXECUTE);
    } catch (GatehouseException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        throw GatewayException.modelNotFound(requested);
      }
      throw new GatewayException(403, "permission_error", "permission_denied", e.getMessage(), "model");
    }
  }

  /** Weighted choice among the serving routes; champion when the model has none. */
  static String pick(ServingRoutes routes) {
    int total = routes.routes().stream().mapToInt(ServingRoutes.Route::weight).sum();
    if (total <= 0) {
      return DEFAULT_ALIAS;
    }
    int ticket = ThreadLocalRandom.current().nextInt(total);
    for (ServingRoutes.Route route : routes.routes()) {
      ticket -= route.weight();
      if (ticket < 0) {
        return route.alias();
      }
    }
    return DEFAULT_ALIAS;
  }

  private Optional<Target> byAlias(SecurableRow model, String alias) {
    return lookup.alias(model.id(), alias).flatMap(version -> lookup.served(model.id(), version)
        .map(v -> new Target(model.fullName(), v.version(), alias, v.spec())));
  }

  private Target byVersion(SecurableRow model, long version, String alias, String requested) {
    return lookup.served(model.id(), version).map(v -> new Target(model.fullName(), v.version(), alias, v.spec()))
        .orElseThrow(() -> new GatewayException(404, "invalid_request_error", "model_not_found",
            "Version " + version + " of '" + model.fullName() + "' does not exist, is not READY or does not serve.",
            "model"));
  }
}
