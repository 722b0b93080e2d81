package dev.gatehouse.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** Reads and writes the stored serving specs and routes (JSON text columns). */
final class Serving {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<ServingRoutes.Route>> ROUTES = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private Serving() {}

  /** Specs of the given versions, by version id; the connection name is the connection's current one. */
  static Map<String, ServingSpec> specs(Handle h, Collection<String> versionIds) {
    if (versionIds.isEmpty()) {
      return Map.of();
    }
    return h.attach(ServingDao.class).specs(versionIds).stream().collect(Collectors.toMap(
        ServingDao.SpecRow::versionId, row -> read(row.spec(), ServingSpec.class).withConnectionName(row.connectionName())));
  }

  static ServingSpec spec(Handle h, String versionId) {
    return specs(h, List.of(versionId)).get(versionId);
  }

  static Map<String, ServingRoutes> routes(Handle h, Collection<String> modelIds) {
    if (modelIds.isEmpty()) {
      return Map.of();
    }
    return h.attach(ServingDao.class).routes(modelIds).stream().collect(Collectors.toMap(
        ServingDao.RoutesRow::modelId, row -> new ServingRoutes(
            row.routes() == null ? List.of() : read(row.routes(), ROUTES),
            row.fallbacks() == null ? List.of() : read(row.fallbacks(), STRINGS))));
  }

  static ServingRoutes routes(Handle h, String modelId) {
    return routes(h, List.of(modelId)).getOrDefault(modelId, ServingRoutes.NONE);
  }

  /** Stores the given parts of {@code change} over what is stored; null parts are kept. */
  static void saveRoutes(Handle h, String modelId, ServingRoutes change) {
    if (change == null || (change.routes() == null && change.fallbacks() == null)) {
      return;
    }
    ServingRoutes current = routes(h, modelId);
    h.attach(ServingDao.class).replaceRoutes(modelId,
        write(change.routes() != null ? change.routes() : current.routes()),
        write(change.fallbacks() != null ? change.fallbacks() : current.fallbacks()));
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored serving data is not valid JSON", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored serving data is not valid JSON", e);
    }
  }
}
