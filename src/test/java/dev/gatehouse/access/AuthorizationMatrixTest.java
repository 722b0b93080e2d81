package dev.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Walks src/test/resources/authorization-matrix.txt: one dynamic test per endpoint and role. */
class AuthorizationMatrixTest {
  static final List<String> ROLES =
      List.of("admin", "owner", "user_grantee", "group_grantee", "inherited", "unrelated", "anonymous");

  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> KEYS = new LinkedHashMap<>();

  record Row(String method, String path, String body, List<String> setup, Map<String, Integer> expected) {}

  @BeforeAll
  static void fixture() throws IOException {
    KEYS.put("admin", TestServer.ADMIN_KEY);
    admin("POST", "/api/1.0/unity-control/scim2/Users", "{\"userName\":\"mx_dummy\"}");
    Map<String, String> users = Map.of("owner", "mx_owner", "user_grantee", "mx_user", "group_grantee", "mx_member",
        "inherited", "mx_inherited", "unrelated", "mx_unrelated");
    for (var e : users.entrySet()) {
      admin("POST", "/api/1.0/unity-control/scim2/Users", "{\"userName\":\"" + e.getValue() + "\"}");
      String created = admin("POST", "/api/1.0/gatehouse/api-keys",
          "{\"name\":\"matrix\",\"principal\":\"" + e.getValue() + "\"}");
      KEYS.put(e.getKey(), JSON.readTree(created).get("key").asText());
    }
    String member = JSON.readTree(admin("GET",
        "/api/1.0/unity-control/scim2/Users?filter=userName%20eq%20%22mx_member%22", null))
        .get("Resources").get(0).get("id").asText();
    admin("POST", "/api/1.0/unity-control/scim2/Groups",
        "{\"displayName\":\"mx_group\",\"members\":[{\"value\":\"" + member + "\"}]}");
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"mx\"}");
    admin("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"s\",\"catalog_name\":\"mx\"}");
    admin("PATCH", "/api/2.1/unity-catalog/catalogs/mx", "{\"owner\":\"mx_owner\"}");
    admin("PATCH", "/api/2.1/unity-catalog/permissions/catalog/mx", """
        {"changes":[{"principal":"mx_user","add":["USE_CATALOG"]},{"principal":"mx_group","add":["USE_CATALOG"]},
                    {"principal":"mx_inherited","add":["USE_CATALOG","USE_SCHEMA"]}]}""");
    admin("PATCH", "/api/2.1/unity-catalog/permissions/schema/mx.s", """
        {"changes":[{"principal":"mx_user","add":["USE_SCHEMA"]},{"principal":"mx_group","add":["USE_SCHEMA"]}]}""");
  }

  @TestFactory
  Stream<DynamicTest> everyEndpointForEveryRole() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : rows()) {
      for (String role : ROLES) {
        tests.add(DynamicTest.dynamicTest(row.method() + " " + row.path() + " as " + role, () -> {
          String made = null;
          for (String step : row.setup()) {
            String[] parts = step.trim().split(" ", 3);
            made = admin(parts[0], parts[1].replace("{role}", role), parts.length > 2 ? parts[2].replace("{role}", role) : null);
          }
          String path = row.path().replace("{role}", role);
          if (path.contains("{id}")) {
            path = path.replace("{id}", JSON.readTree(made).get("id").asText());
          }
          HttpResponse<String> response = send(row.method(), path,
              row.body() == null ? null : row.body().replace("{role}", role), KEYS.get(role));
          assertThat(response.statusCode())
              .as("%s %s as %s: %s", row.method(), row.path(), role, response.body())
              .isEqualTo(row.expected().get(role));
          if (response.statusCode() >= 400) {
            // the gateway answers in the provider's error shape, everything else in Unity Catalog's
            assertThat(response.body()).contains(row.path().startsWith("/v1/") ? "\"error\"" : "\"error_code\"");
          }
        }));
      }
    }
    return tests.stream();
  }

  static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = AuthorizationMatrixTest.class.getResourceAsStream("/authorization-matrix.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split("\\|", -1);
        String[] statuses = cells[4].trim().split("\\s+");
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int i = 0; i < ROLES.size(); i++) {
          expected.put(ROLES.get(i), Integer.parseInt(statuses[i]));
        }
        List<String> setup = cells[3].isBlank() ? List.of() : List.of(cells[3].trim().split(";;"));
        rows.add(new Row(cells[0].trim(), cells[1].trim(), cells[2].isBlank() ? null : cells[2].trim(), setup, expected));
      }
    }
    return rows;
  }

  private static String admin(String method, String path, String body) {
    HttpResponse<String> response = send(method, path, body, TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as("setup %s %s: %s", method, path, response.body()).isLessThan(300);
    return response.body();
  }

  private static HttpResponse<String> send(String method, String path, String body, String key) {
    return server.call(method, path, body, key);
  }
}
