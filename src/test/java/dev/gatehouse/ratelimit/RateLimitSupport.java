package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Models, principals and rules for rate-limit tests, made through the API of one server. */
final class RateLimitSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RULES = "/api/1.0/gatehouse/rate-limits";

  private final TestServer server;

  RateLimitSupport(TestServer server) {
    this.server = server;
  }

  /** A MOCK connection answering {@code completionTokens} tokens. */
  void connection(String name, long completionTokens) {
    admin("POST", "/api/2.1/unity-catalog/connections", "{\"name\":\"" + name + "\",\"connection_type\":\"MOCK\","
        + "\"options\":{\"completion_tokens\":\"" + completionTokens + "\"}}");
  }

  void catalog(String catalog, String... schemas) {
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"" + catalog + "\"}");
    for (String schema : schemas) {
      admin("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"" + schema + "\",\"catalog_name\":\"" + catalog + "\"}");
    }
  }

  /** A model served by version 1 on {@code connection} (alias champion) that every user may call. */
  void model(String fullName, String connection) {
    String[] p = fullName.split("\\.");
    admin("POST", "/api/2.1/unity-catalog/models", "{\"name\":\"" + p[2] + "\",\"catalog_name\":\"" + p[0]
        + "\",\"schema_name\":\"" + p[1] + "\"}");
    admin("POST", "/api/2.1/unity-catalog/models/versions", "{\"catalog_name\":\"" + p[0] + "\",\"schema_name\":\""
        + p[1] + "\",\"model_name\":\"" + p[2] + "\",\"source\":\"test://m\",\"serving\":{\"connection_name\":\""
        + connection + "\",\"upstream_model\":\"m\",\"task\":\"chat\"}}");
    admin("PATCH", "/api/2.1/unity-catalog/models/" + fullName + "/versions/1/finalize",
        "{\"full_name\":\"" + fullName + "\",\"version\":1}");
    admin("PUT", "/api/2.1/unity-catalog/models/" + fullName + "/aliases/champion", "{\"version_num\":1}");
  }

  /** Lets every account use a catalog's models (EXECUTE through the catalog, entry through USE_*). */
  void openToAll(String catalog, String group) {
    admin("PATCH", "/api/2.1/unity-catalog/permissions/catalog/" + catalog, "{\"changes\":[{\"principal\":\""
        + group + "\",\"add\":[\"USE_CATALOG\",\"USE_SCHEMA\",\"EXECUTE\"]}]}");
  }

  /** A user with a first key, in group {@code everyone}; returns the key. */
  String user(String name) {
    String key = server.userWithKey(name);
    admin("PATCH", "/api/1.0/unity-control/scim2/Groups/" + id("Groups", "displayName", "everyone"),
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\","
            + "\"path\":\"members\",\"value\":[{\"value\":\"" + id("Users", "userName", name) + "\"}]}]}");
    return key;
  }

  void everyoneGroup() {
    admin("POST", "/api/1.0/unity-control/scim2/Groups", "{\"displayName\":\"everyone\"}");
  }

  /** Another key of {@code user}: its id and its secret. */
  String[] key(String user, String name) {
    JsonNode made = json(admin("POST", "/api/1.0/gatehouse/api-keys",
        "{\"name\":\"" + name + "\",\"principal\":\"" + user + "\"}"));
    return new String[] {made.get("id").asText(), made.get("key").asText()};
  }

  void group(String name, String... users) {
    List<String> members = new ArrayList<>();
    for (String user : users) {
      members.add("{\"value\":\"" + id("Users", "userName", user) + "\"}");
    }
    admin("POST", "/api/1.0/unity-control/scim2/Groups",
        "{\"displayName\":\"" + name + "\",\"members\":[" + String.join(",", members) + "]}");
  }

  /** Creates a rule (as admin) from its JSON and returns its id. */
  String rule(String json) {
    return json(admin("POST", RULES, json)).get("id").asText();
  }

  void deleteRule(String id) {
    admin("DELETE", RULES + "/" + id, null);
  }

  HttpResponse<String> chat(String key, String model, long maxTokens) {
    return server.call("POST", "/v1/chat/completions", "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
  }

  HttpResponse<String> messages(String key, String model, long maxTokens) {
    return server.call("POST", "/v1/messages", "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
  }

  private String id(String resource, String attribute, String value) {
    String filter = URLEncoder.encode(attribute + " eq \"" + value + "\"", StandardCharsets.UTF_8).replace("+", "%20");
    return json(admin("GET", "/api/1.0/unity-control/scim2/" + resource + "?filter=" + filter, null))
        .get("Resources").get(0).get("id").asText();
  }

  String admin(String method, String path, String body) {
    HttpResponse<String> response = server.call(method, path, body, TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
    return response.body();
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long header(HttpResponse<String> response, String name) {
    return Long.parseLong(response.headers().firstValue(name).orElseThrow(() -> new AssertionError(
        "no " + name + " header on " + response.statusCode() + " " + response.body())));
  }
}
