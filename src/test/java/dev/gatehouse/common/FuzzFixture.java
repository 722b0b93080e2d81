package dev.gatehouse.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One object of each kind for the fuzzer to aim at, so that generated requests reach past "not
 * found" into the code that reads their fields. Seeding again restores what the fuzzer deleted;
 * what still exists answers 409 and is left as it is.
 */
final class FuzzFixture {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UC = "/api/2.1/unity-catalog";
  private static final String SCIM = "/api/1.0/unity-control/scim2";

  private final TestServer server;
  private volatile String userId = "none";
  private volatile String servicePrincipalId = "none";
  private volatile String groupId = "none";
  private volatile String keyId = "none";

  FuzzFixture(TestServer server) {
    this.server = server;
  }

  void seed() {
    call("POST", UC + "/catalogs", "{\"name\":\"fz\"}");
    call("POST", UC + "/schemas", "{\"name\":\"s\",\"catalog_name\":\"fz\"}");
    call("POST", UC + "/tables", "{\"catalog_name\":\"fz\",\"schema_name\":\"s\",\"name\":\"t\",\"table_type\":"
        + "\"EXTERNAL\",\"data_source_format\":\"DELTA\",\"storage_location\":\"s3://b/t\",\"columns\":[{\"name\":"
        + "\"id\",\"type_name\":\"LONG\",\"type_text\":\"bigint\",\"type_json\":\"{}\",\"position\":0}]}");
    call("POST", UC + "/volumes", "{\"catalog_name\":\"fz\",\"schema_name\":\"s\",\"name\":\"v\","
        + "\"volume_type\":\"MANAGED\"}");
    call("POST", UC + "/functions", "{\"function_info\":{\"name\":\"f\",\"catalog_name\":\"fz\",\"schema_name\":\"s\","
        + "\"input_params\":{\"parameters\":[]},\"data_type\":\"INT\",\"full_data_type\":\"INT\",\"routine_body\":\"SQL\","
        + "\"routine_definition\":\"1\",\"parameter_style\":\"S\",\"is_deterministic\":true,\"sql_data_access\":"
        + "\"CONTAINS_SQL\",\"is_null_call\":false,\"security_type\":\"DEFINER\",\"specific_name\":\"f\"}}");
    call("POST", UC + "/connections", "{\"name\":\"fzmock\",\"connection_type\":\"MOCK\",\"options\":{}}");
    call("POST", UC + "/models", "{\"name\":\"m\",\"catalog_name\":\"fz\",\"schema_name\":\"s\"}");
    call("POST", UC + "/models", "{\"name\":\"e\",\"catalog_name\":\"fz\",\"schema_name\":\"s\"}");
    if (call("GET", UC + "/models/fz.s.m/versions/1", null).path("version").isMissingNode()) {
      call("POST", UC + "/models/versions", "{\"catalog_name\":\"fz\",\"schema_name\":\"s\",\"model_name\":\"m\","
          + "\"source\":\"test://m\",\"serving\":{\"connection_name\":\"fzmock\",\"upstream_model\":\"mock-1\","
          + "\"task\":\"chat\"}}");
      call("POST", UC + "/models/versions", "{\"catalog_name\":\"fz\",\"schema_name\":\"s\",\"model_name\":\"e\","
          + "\"source\":\"test://e\",\"serving\":{\"connection_name\":\"fzmock\",\"upstream_model\":\"mock-e\","
          + "\"task\":\"embeddings\"}}");
    }
    call("PATCH", UC + "/models/fz.s.m/versions/1/finalize", "{\"full_name\":\"fz.s.m\",\"version\":1}");
    call("PATCH", UC + "/models/fz.s.e/versions/1/finalize", "{\"full_name\":\"fz.s.e\",\"version\":1}");
    call("PUT", UC + "/models/fz.s.m/aliases/champion", "{\"version_num\":1}");
    call("PUT", UC + "/models/fz.s.e/aliases/champion", "{\"version_num\":1}");
    userId = principal("Users", "userName", "fz-user");
    servicePrincipalId = principal("ServicePrincipals", "displayName", "fz-sp");
    groupId = principal("Groups", "displayName", "fz-group");
    JsonNode key = call("POST", "/api/1.0/gatehouse/api-keys", "{\"name\":\"fz\",\"principal\":\"fz-user\"}");
    if (key.hasNonNull("id")) {
      keyId = key.get("id").asText();
    }
  }

  /** The id of the SCIM principal {@code name}, made when missing. */
  private String principal(String kind, String attribute, String name) {
    call("POST", SCIM + "/" + kind, "{\"" + attribute + "\":\"" + name + "\"}");
    String filter = URLEncoder.encode(attribute + " eq \"" + name + "\"", StandardCharsets.UTF_8);
    JsonNode found = call("GET", SCIM + "/" + kind + "?filter=" + filter, null).path("Resources").path(0);
    return found.path("id").asText("none");
  }

  /** Values that name fixture objects, by request field name. */
  Map<String, List<String>> knownFields() {
    return Map.ofEntries(
        Map.entry("name", List.of("fz", "s", "t", "v", "f", "m", "fzmock")),
        Map.entry("catalog_name", List.of("fz")),
        Map.entry("schema_name", List.of("s")),
        Map.entry("model_name", List.of("m")),
        Map.entry("full_name", List.of("fz.s.m", "fz.s", "fz.s.t", "fz")),
        Map.entry("connection_name", List.of("fzmock")),
        Map.entry("principal", List.of("fz-user", "fz-group", "fz-sp", "admins")),
        Map.entry("model", List.of("fz.s.m", "fz.s.m@champion", "fz.s.m@1", "fz.s.e", "fz.s.e@champion")),
        Map.entry("securable_type", List.of("catalog", "schema", "table", "registered_model")),
        Map.entry("op", List.of("add", "replace", "remove")),
        Map.entry("path", List.of("members", "displayName", "active", "emails")),
        Map.entry("version_num", List.of("1")),
        Map.entry("new_name", List.of("fz2", "s2")),
        Map.entry("catalog", List.of("fz")),
        Map.entry("q", List.of("fz", "m", "t")));
  }

  /** Values of path parameter {@code name} in {@code path} that name an existing fixture object. */
  List<String> knownPathValues(String path, String name) {
    return switch (name) {
      case "version" -> List.of("1");
      case "alias" -> List.of("champion");
      case "securable_type" -> List.of("catalog", "schema", "table", "registered_model", "volume", "function");
      case "id" -> path.contains("/Users/") ? List.of(userId) : path.contains("/ServicePrincipals/")
          ? List.of(servicePrincipalId) : path.contains("/Groups/") ? List.of(groupId) : List.of(keyId);
      default -> path.contains("/catalogs/") ? List.of("fz")
          : path.contains("/connections/") ? List.of("fzmock")
          : path.contains("/schemas/") ? List.of("fz.s")
          : path.contains("/tables/") ? List.of("fz.s.t")
          : path.contains("/volumes/") ? List.of("fz.s.v")
          : path.contains("/functions/") ? List.of("fz.s.f")
          : path.contains("/models/") ? List.of("fz.s.m")
          : List.of("fz", "fz.s", "fz.s.t", "fz.s.m", "fz.s.v", "fz.s.f");
    };
  }

  private JsonNode call(String method, String path, String body) {
    String answer = server.call(method, path, body, TestServer.ADMIN_KEY).body();
    try {
      return JSON.readTree(answer.isEmpty() ? "{}" : answer);
    } catch (IOException e) {
      throw new UncheckedIOException(answer, e);
    }
  }
}
