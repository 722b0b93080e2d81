package dev.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Grant semantics end to end: inheritance, nested groups, ownership, visibility and listings. */
class AccessControlApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String carol;
  private static String dave;

  @BeforeAll
  static void users() throws Exception {
    carol = user("carol");
    dave = user("dave");
  }

  @Test
  void invisibleObjectGetsTheSame404AsAMissingOne() {
    call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"hidden\"}", TestServer.ADMIN_KEY);
    HttpResponse<String> hidden = call("GET", "/api/2.1/unity-catalog/catalogs/hidden", null, carol);
    HttpResponse<String> missing = call("GET", "/api/2.1/unity-catalog/catalogs/nothing_here", null, carol);
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(hidden.body()).isEqualTo(missing.body().replace("nothing_here", "hidden"));
  }

  @Test
  void catalogGrantInheritsToSchemasCreatedLater() {
    call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"inh\"}", TestServer.ADMIN_KEY);
    grant("catalog", "inh", "carol", "USE_CATALOG", "USE_SCHEMA");
    call("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"later\",\"catalog_name\":\"inh\"}", TestServer.ADMIN_KEY);
    assertThat(call("GET", "/api/2.1/unity-catalog/schemas/inh.later", null, carol).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/api/2.1/unity-catalog/schemas/inh.later", null, dave).statusCode()).isEqualTo(404);
  }

  @Test
  void reachingASchemaNeedsUseCatalog() {
    call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"reach\"}", TestServer.ADMIN_KEY);
    call("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"s\",\"catalog_name\":\"reach\"}", TestServer.ADMIN_KEY);
    grant("schema", "reach.s", "dave", "USE_SCHEMA");
    HttpResponse<String> denied = call("GET", "/api/2.1/unity-catalog/schemas/reach.s", null, dave);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("PERMISSION_DENIED").contains("USE_CATALOG");
    grant("catalog", "reach", "dave", "USE_CATALOG");
    assertThat(call("GET", "/api/2.1/unity-catalog/schemas/reach.s", null, dave).statusCode()).isEqualTo(200);
  }

  @Test
  void nestedGroupMembershipCarriesGrants() throws Exception {
    String erin = user("erin");
    String erinId = id("/api/1.0/unity-control/scim2/Users?filter=userName%20eq%20%22erin%22");
    String inner = JSON.readTree(call("POST", "/api/1.0/unity-control/scim2/Groups",
        "{\"displayName\":\"inner_team\",\"members\":[{\"value\":\"" + erinId + "\"}]}", TestServer.ADMIN_KEY).body())
        .get("id").asText();
    String middle = JSON.readTree(call("POST", "/api/1.0/unity-control/scim2/Groups",
        "{\"displayName\":\"middle_team\",\"members\":[{\"value\":\"" + inner + "\"}]}", TestServer.ADMIN_KEY).body())
        .get("id").asText();
    call("POST", "/api/1.0/unity-control/scim2/Groups",
        "{\"displayName\":\"outer_team\",\"members\":[{\"value\":\"" + middle + "\"}]}", TestServer.ADMIN_KEY);
    call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"nested\"}", TestServer.ADMIN_KEY);
    grant("metastore", "metastore", "outer_team", "CREATE_CATALOG");
    assertThat(call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"by_erin\"}", erin).statusCode())
        .isEqualTo(200);
    JsonNode effective = JSON.readTree(call("GET",
        "/api/2.1/unity-catalog/effective-permissions/catalog/by_erin?principal=erin", null, erin).body());
    assertThat(effective.toString()).contains("\"principal\":\"erin\"");
    // erin owns what she created
    assertThat(call("PATCH", "/api/2.1/unity-catalog/catalogs/by_erin", "{\"comment\":\"mine\"}", erin).statusCode())
        .isEqualTo(200);
  }

  @Test
  void ownershipMovesWithPatchOwner() {
    call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"handover\"}", TestServer.ADMIN_KEY);
    assertThat(call("PATCH", "/api/2.1/unity-catalog/catalogs/handover", "{\"comment\":\"x\"}", carol).statusCode())
        .isEqualTo(404);
    call("PATCH", "/api/2.1/unity-catalog/catalogs/handover", "{\"owner\":\"carol\"}", TestServer.ADMIN_KEY);
    assertThat(call("PATCH", "/api/2.1/unity-catalog/catalogs/handover", "{\"comment\":\"x\"}", carol).statusCode())
        .isEqualTo(200);
    // the owner may grant on what it owns
    assertThat(call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/handover",
        "{\"changes\":[{\"principal\":\"dave\",\"add\":[\"USE_CATALOG\"]}]}", carol).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/api/2.1/unity-catalog/catalogs/handover", null, dave).statusCode()).isEqualTo(200);
  }

  @Test
  void listingsShowOnlyVisibleObjectsInFullPages() throws Exception {
    call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"half\"}", TestServer.ADMIN_KEY);
    grant("catalog", "half", "carol", "USE_CATALOG");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String name = String.format("s%02d", i);
      call("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"" + name + "\",\"catalog_name\":\"half\"}",
          TestServer.ADMIN_KEY);
      if (i % 2 == 0) {
        grant("schema", "half." + name, "carol", "USE_SCHEMA");
        expected.add(name);
      }
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      JsonNode page = JSON.readTree(call("GET", "/api/2.1/unity-catalog/schemas?catalog_name=half&max_results=4"
          + (token == null ? "" : "&page_token=" + token), null, carol).body());
      page.get("schemas").forEach(s -> seen.add(s.get("name").asText()));
      token = page.hasNonNull("next_page_token") ? page.get("next_page_token").asText() : null;
      if (token != null) {
        assertThat(page.get("schemas")).hasSize(4);
      }
    } while (token != null);
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void grantingRejectsUnknownAndMisplacedPrivileges() {
    call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"bad_grants\"}", TestServer.ADMIN_KEY);
    assertThat(call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/bad_grants",
        "{\"changes\":[{\"principal\":\"carol\",\"add\":[\"FLY\"]}]}", TestServer.ADMIN_KEY).statusCode()).isEqualTo(400);
    assertThat(call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/bad_grants",
        "{\"changes\":[{\"principal\":\"carol\",\"add\":[\"CREATE_CATALOG\"]}]}", TestServer.ADMIN_KEY).statusCode())
        .isEqualTo(400);
    assertThat(call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/bad_grants",
        "{\"changes\":[{\"principal\":\"nobody\",\"add\":[\"USE_CATALOG\"]}]}", TestServer.ADMIN_KEY).statusCode())
        .isEqualTo(400);
    assertThat(call("PATCH", "/api/2.1/unity-catalog/permissions/planet/x",
        "{\"changes\":[{\"principal\":\"carol\",\"add\":[\"USE_CATALOG\"]}]}", TestServer.ADMIN_KEY).statusCode())
        .isEqualTo(400);
  }

  @Test
  void revokeTakesEffectOnTheNextRequest() {
    call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"revoked\"}", TestServer.ADMIN_KEY);
    grant("catalog", "revoked", "dave", "USE_CATALOG");
    assertThat(call("GET", "/api/2.1/unity-catalog/catalogs/revoked", null, dave).statusCode()).isEqualTo(200);
    call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/revoked",
        "{\"changes\":[{\"principal\":\"dave\",\"remove\":[\"USE_CATALOG\"]}]}", TestServer.ADMIN_KEY);
    assertThat(call("GET", "/api/2.1/unity-catalog/catalogs/revoked", null, dave).statusCode()).isEqualTo(404);
  }

  static void grant(String type, String name, String principal, String... privileges) {
    String list = String.join("\",\"", privileges);
    HttpResponse<String> r = call("PATCH", "/api/2.1/unity-catalog/permissions/" + type + "/" + name,
        "{\"changes\":[{\"principal\":\"" + principal + "\",\"add\":[\"" + list + "\"]}]}", TestServer.ADMIN_KEY);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static String user(String name) {
    return server.userWithKey(name);
  }

  static String id(String listPath) throws Exception {
    return JSON.readTree(call("GET", listPath, null, TestServer.ADMIN_KEY).body()).get("Resources").get(0)
        .get("id").asText();
  }

  static HttpResponse<String> call(String method, String path, String body, String key) {
    return server.call(method, path, body, key);
  }
}
