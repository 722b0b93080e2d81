package dev.gatehouse.models;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gatehouse.common.GatehouseException;
import java.util.HashSet;
import java.util.List;

/**
 * How calls to {@code catalog.schema.model} pick a version: weighted aliases, and aliases tried in
 * order when the chosen version fails before any byte has streamed.
 */
public record ServingRoutes(List<Route> routes, List<String> fallbacks) {
  public static final ServingRoutes NONE = new ServingRoutes(List.of(), List.of());
  static final int MAX_WEIGHT = 1000;
  static final int MAX_ENTRIES = 16;

  public record Route(@JsonProperty("alias") String alias, @JsonProperty("weight") int weight) {}

  /** Validates and normalizes (lower-cased aliases); null lists stay null: "not given". */
  static ServingRoutes validated(List<Route> routes, List<String> fallbacks) {
    List<Route> r = null;
    if (routes != null) {
      if (routes.size() > MAX_ENTRIES) {
        throw GatehouseException.invalid("At most " + MAX_ENTRIES + " serving routes.");
      }
      var seen = new HashSet<String>();
      r = routes.stream().map(route -> {
        String alias = ModelAliasService.aliasName(route.alias());
        if (!seen.add(alias)) {
          throw GatehouseException.invalid("Serving route alias '" + alias + "' appears twice.");
        }
        if (route.weight() < 0 || route.weight() > MAX_WEIGHT) {
          throw GatehouseException.invalid("Serving route weights must be 0 to " + MAX_WEIGHT + ".");
        }
        return new Route(alias, route.weight());
      }).toList();
      if (!r.isEmpty() && r.stream().mapToInt(Route::weight).sum() == 0) {
        throw GatehouseException.invalid("At least one serving route needs a positive weight.");
      }
    }
    List<String> f = null;
    if (fallbacks != null) {
      if (fallbacks.size() > MAX_ENTRIES) {
        throw GatehouseException.invalid("At most " + MAX_ENTRIES + " fallbacks.");
      }
      f = fallbacks.stream().map(ModelAliasService::aliasName).distinct().toList();
    }
    return new ServingRoutes(r, f);
  }
}
