package dev.gatehouse.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Serving specs on versions and serving routes on models: stored, shown, validated, guarded. */
class ServingSpecApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERSIONS = "/api/2.1/unity-catalog/models/versions";

  @BeforeAll
  static void fixture() {
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"ai\"}");
    admin("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"llm\",\"catalog_name\":\"ai\"}");
    admin("POST", "/api/2.1/unity-catalog/connections", "{\"name\":\"mock\",\"connection_type\":\"MOCK\"}");
  }

  @Test
  void versionsCarryTheirServingSpecAndModelsTheirRoutes() throws Exception {
    JsonNode model = json(admin("POST", "/api/2.1/unity-catalog/models", """
        {"name":"bot","catalog_name":"ai","schema_name":"llm",
         "serving_routes":[{"alias":"Champion","weight":90},{"alias":"challenger","weight":10}],
         "fallbacks":["challenger"]}"""));
    assertThat(model.get("serving_routes").toString()).contains("\"alias\":\"champion\"").contains("\"weight\":90");
    assertThat(model.get("fallbacks").toString()).isEqualTo("[\"challenger\"]");
    JsonNode version = json(admin("POST", VERSIONS, """
        {"catalog_name":"ai","schema_name":"llm","model_name":"bot","source":"mock://bot",
         "serving":{"connection_name":"mock","upstream_model":"mock-large","max_tokens_cap":512,
                    "system_prompt":"Be brief."}}"""));
    assertThat(version.get("serving").get("connection_name").asText()).isEqualTo("mock");
    assertThat(version.get("serving").get("task").asText()).isEqualTo("chat");
    assertThat(version.get("serving").get("max_tokens_cap").asLong()).isEqualTo(512);
    JsonNode read = json(admin("GET", "/api/2.1/unity-catalog/models/ai.llm.bot/versions/1", null));
    assertThat(read.get("serving")).isEqualTo(version.get("serving"));
    // the connection is linked by id: a rename shows through, a delete is refused while it serves
    admin("PATCH", "/api/2.1/unity-catalog/connections/mock", "{\"new_name\":\"mock2\"}");
    assertThat(json(admin("GET", "/api/2.1/unity-catalog/models/ai.llm.bot/versions/1", null))
        .get("serving").get("connection_name").asText()).isEqualTo("mock2");
    assertThat(server.call("DELETE", "/api/2.1/unity-catalog/connections/mock2", null, TestServer.ADMIN_KEY)
        .statusCode()).isEqualTo(409);
    admin("PATCH", "/api/2.1/unity-catalog/connections/mock2", "{\"new_name\":\"mock\"}");
    JsonNode patched = json(admin("PATCH", "/api/2.1/unity-catalog/models/ai.llm.bot",
        "{\"serving_routes\":[{\"alias\":\"champion\",\"weight\":1}]}"));
    assertThat(patched.get("fallbacks").toString()).isEqualTo("[\"challenger\"]");
    assertThat(patched.get("serving_routes")).hasSize(1);
  }

  @Test
  void invalidSpecsAndRoutesAreRejected() {
    admin("POST", "/api/2.1/unity-catalog/models", "{\"name\":\"strict\",\"catalog_name\":\"ai\",\"schema_name\":\"llm\"}");
    String base = "{\"catalog_name\":\"ai\",\"schema_name\":\"llm\",\"model_name\":\"strict\",\"source\":\"s\",\"serving\":";
    assertThat(status("POST", VERSIONS, base + "{\"connection_name\":\"mock\"}}")).isEqualTo(400);
    assertThat(status("POST", VERSIONS, base + "{\"connection_name\":\"mock\",\"upstream_model\":\"m\",\"task\":\"dance\"}}"))
        .isEqualTo(400);
    assertThat(status("POST", VERSIONS, base + "{\"connection_name\":\"mock\",\"upstream_model\":\"m\",\"temperature\":3}}"))
        .isEqualTo(400);
    assertThat(status("POST", VERSIONS, base + "{\"connection_name\":\"nowhere\",\"upstream_model\":\"m\"}}"))
        .isEqualTo(404);
    assertThat(status("PATCH", "/api/2.1/unity-catalog/models/ai.llm.strict",
        "{\"serving_routes\":[{\"alias\":\"a\",\"weight\":0}]}")).isEqualTo(400);
    assertThat(status("PATCH", "/api/2.1/unity-catalog/models/ai.llm.strict",
        "{\"serving_routes\":[{\"alias\":\"latest\",\"weight\":5}]}")).isEqualTo(400);
    assertThat(status("PATCH", "/api/2.1/unity-catalog/models/ai.llm.strict", "{\"fallbacks\":[\"9lives\"]}"))
        .isEqualTo(400);
  }

  @Test
  void namingAConnectionNeedsUseConnection() {
    String key = server.userWithKey("modeler");
    admin("PATCH", "/api/2.1/unity-catalog/permissions/schema/ai.llm",
        "{\"changes\":[{\"principal\":\"modeler\",\"add\":[\"USE_SCHEMA\",\"CREATE_MODEL\"]}]}");
    admin("PATCH", "/api/2.1/unity-catalog/permissions/catalog/ai",
        "{\"changes\":[{\"principal\":\"modeler\",\"add\":[\"USE_CATALOG\"]}]}");
    assertThat(server.call("POST", "/api/2.1/unity-catalog/models",
        "{\"name\":\"own\",\"catalog_name\":\"ai\",\"schema_name\":\"llm\"}", key).statusCode()).isEqualTo(200);
    String body = "{\"catalog_name\":\"ai\",\"schema_name\":\"llm\",\"model_name\":\"own\",\"source\":\"s\","
        + "\"serving\":{\"connection_name\":\"mock\",\"upstream_model\":\"m\"}}";
    assertThat(server.call("POST", VERSIONS, body, key).statusCode()).isEqualTo(404);
    admin("PATCH", "/api/2.1/unity-catalog/permissions/connection/mock",
        "{\"changes\":[{\"principal\":\"modeler\",\"add\":[\"USE_CONNECTION\"]}]}");
    assertThat(server.call("POST", VERSIONS, body, key).statusCode()).isEqualTo(200);
  }

  private static int status(String method, String path, String body) {
    return server.call(method, path, body, TestServer.ADMIN_KEY).statusCode();
  }

  private static HttpResponse<String> admin(String method, String path, String body) {
    HttpResponse<String> response = server.call(method, path, body, TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
    return response;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }
}
