package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestDatabases;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the audit log records, and that its chain holds, end to end. */
class AuditLogApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String userKey;
  private static String auditorKey;

  @BeforeAll
  static void principals() throws Exception {
    userKey = user("plain_user");
    auditorKey = user("auditor_user");
    String auditorId = JSON.readTree(admin("GET",
        "/api/1.0/unity-control/scim2/Users?filter=userName%20eq%20%22auditor_user%22", null).body())
        .get("Resources").get(0).get("id").asText();
    String auditors = JSON.readTree(admin("GET",
        "/api/1.0/unity-control/scim2/Groups?filter=displayName%20eq%20%22auditors%22", null).body())
        .get("Resources").get(0).get("id").asText();
    admin("PATCH", "/api/1.0/unity-control/scim2/Groups/" + auditors,
        "{\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + auditorId + "\"}]}]}");
  }

  @Test
  void successfulChangeIsRecordedWithItsRequestId() throws Exception {
    HttpResponse<String> created = admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"audited\"}");
    String requestId = created.headers().firstValue("X-Request-Id").orElseThrow();
    JsonNode event = onlyEvent("action=createCatalog&full_name=audited");
    assertThat(event.get("request_id").asText()).isEqualTo(requestId);
    assertThat(event.get("actor_name").asText()).isEqualTo("admin");
    assertThat(event.get("actor_type").asText()).isEqualTo("USER");
    assertThat(event.get("api_key_id").asText()).isNotBlank();
    assertThat(event.get("service").asText()).isEqualTo("catalog");
    assertThat(event.get("securable_type").asText()).isEqualTo("catalog");
    assertThat(event.get("status_code").asInt()).isEqualTo(200);
    assertThat(event.get("request_params").get("body").get("name").asText()).isEqualTo("audited");
    assertThat(event.get("source_ip").asText()).isNotBlank();
  }

  @Test
  void failuresDenialsAndBadKeysAreRecorded() throws Exception {
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"twice\"}");
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"twice\"}");
    JsonNode duplicate = onlyEvent("action=createCatalog&full_name=twice&status=409");
    assertThat(duplicate.get("error_code").asText()).isEqualTo("ALREADY_EXISTS");

    server.call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"by_user\"}", userKey);
    JsonNode denied = onlyEvent("actor=plain_user&action=createCatalog");
    assertThat(denied.get("status_code").asInt()).isEqualTo(403);
    assertThat(denied.get("error_code").asText()).isEqualTo("PERMISSION_DENIED");

    server.call("GET", "/api/2.1/unity-catalog/catalogs/twice", null, userKey);
    JsonNode hidden = onlyEvent("actor=plain_user&action=getCatalog");
    assertThat(hidden.get("status_code").asInt()).isEqualTo(404);
    assertThat(hidden.get("full_name").asText()).isEqualTo("twice");

    server.call("DELETE", "/api/2.1/unity-catalog/catalogs/twice", null, "ghk_not-a-real-key-0123456789abcdefghij");
    JsonNode badKey = onlyEvent("action=deleteCatalog&status=401");
    assertThat(badKey.get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(badKey.has("actor_name")).isFalse();
  }

  @Test
  void grantChangesRecordBeforeAndAfter() throws Exception {
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"granted\"}");
    admin("PATCH", "/api/2.1/unity-catalog/permissions/catalog/granted",
        "{\"changes\":[{\"principal\":\"plain_user\",\"add\":[\"USE_CATALOG\"]}]}");
    admin("PATCH", "/api/2.1/unity-catalog/permissions/catalog/granted",
        "{\"changes\":[{\"principal\":\"plain_user\",\"add\":[\"CREATE_SCHEMA\"],\"remove\":[\"USE_CATALOG\"]}]}");
    JsonNode event = events("action=updatePermissions&full_name=granted").get(0);
    assertThat(event.get("details").get("before").toString()).contains("USE_CATALOG").doesNotContain("CREATE_SCHEMA");
    assertThat(event.get("details").get("after").toString()).contains("CREATE_SCHEMA").doesNotContain("USE_CATALOG");
  }

  @Test
  void secretsNeverReachTheLog() throws Exception {
    String key = JSON.readTree(admin("POST", "/api/1.0/gatehouse/api-keys",
        "{\"name\":\"secret_holder\",\"principal\":\"plain_user\"}").body()).get("key").asText();
    String export = admin("GET", "/api/1.0/gatehouse/audit/export", null).body();
    assertThat(export).contains("createApiKey").doesNotContain(key).doesNotContain(TestServer.ADMIN_KEY);
  }

  @Test
  void auditorsReadTheLogAndOthersDoNot() {
    assertThat(server.call("GET", "/api/1.0/gatehouse/audit/events", null, auditorKey).statusCode()).isEqualTo(200);
    assertThat(server.call("GET", "/api/1.0/gatehouse/audit/verify", null, auditorKey).statusCode()).isEqualTo(200);
    assertThat(server.call("GET", "/api/1.0/gatehouse/audit/events", null, userKey).statusCode()).isEqualTo(403);
  }

  @Test
  void exportStreamsJsonLinesAndCsv() throws Exception {
    for (int i = 0; i < 30; i++) {
      admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"export_" + i + "\"}");
    }
    String jsonl = admin("GET", "/api/1.0/gatehouse/audit/export?full_name_prefix=export%5F", null).body();
    String[] lines = jsonl.strip().split("\n");
    assertThat(lines).hasSize(30);
    assertThat(JSON.readTree(lines[0]).get("full_name").asText()).isEqualTo("export_29");
    String csv = admin("GET", "/api/1.0/gatehouse/audit/export?format=csv&full_name_prefix=export%5F", null).body();
    assertThat(csv.strip().split("\n")).hasSize(31);
    assertThat(csv).startsWith("seq,event_id,");
    assertThat(server.call("GET", "/api/1.0/gatehouse/audit/export?format=xml", null, TestServer.ADMIN_KEY)
        .statusCode()).isEqualTo(400);
  }

  @Test
  void paginationWalksNewestFirstWithoutGaps() throws Exception {
    for (int i = 0; i < 7; i++) {
      admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"page_" + i + "\"}");
    }
    List<Long> seqs = new ArrayList<>();
    String token = null;
    do {
      JsonNode page = JSON.readTree(admin("GET", "/api/1.0/gatehouse/audit/events?full_name_prefix=page%5F&max_results=3"
          + (token == null ? "" : "&page_token=" + token), null).body());
      page.get("events").forEach(e -> seqs.add(e.get("seq").asLong()));
      token = page.hasNonNull("next_page_token") ? page.get("next_page_token").asText() : null;
    } while (token != null);
    assertThat(seqs).hasSize(7).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void concurrentWritersKeepOneValidChain() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      int n = i;
      results.add(pool.submit((Callable<Integer>) () -> server.call("POST", "/api/2.1/unity-catalog/catalogs",
          "{\"name\":\"concurrent_" + n + "\"}", TestServer.ADMIN_KEY).statusCode()));
    }
    for (Future<Integer> r : results) {
      assertThat(r.get()).isEqualTo(200);
    }
    pool.shutdown();
    assertThat(events("full_name_prefix=concurrent%5F&max_results=1000")).hasSize(80);
    JsonNode verdict = JSON.readTree(admin("GET", "/api/1.0/gatehouse/audit/verify", null).body());
    assertThat(verdict.get("ok").asBoolean()).as(verdict.toString()).isTrue();
  }

  @Test
  void retentionArchivesAndTheRestVerifiesFromTheAnchor(@TempDir java.nio.file.Path archive) throws Exception {
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"before_archive\"}");
    Jdbi jdbi = jdbi();
    long archived = new AuditRetention(jdbi, Clock.systemUTC(), JSON, archiveConfig(archive.toString()))
        .archiveOlderThan(Duration.ZERO);
    assertThat(archived).isPositive();
    assertThat(java.nio.file.Files.list(archive).count()).isEqualTo(1);
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"after_archive\"}");
    JsonNode verdict = JSON.readTree(admin("GET", "/api/1.0/gatehouse/audit/verify", null).body());
    assertThat(verdict.get("ok").asBoolean()).as(verdict.toString()).isTrue();
    assertThat(verdict.get("anchor_seq").asLong()).isGreaterThanOrEqualTo(archived);
    assertThat(events("full_name=before_archive")).isEmpty();
  }

  static AuditConfig archiveConfig(String dir) throws Exception {
    return JSON.readValue("{\"retentionDays\":1,\"archiveDir\":" + JSON.writeValueAsString(dir) + "}",
        AuditConfig.class);
  }

  static Jdbi jdbi() {
    var db = server.database();
    return Jdbi.create(db.effectiveUrl(), db.getUser(), db.getPassword()).installPlugin(new SqlObjectPlugin());
  }

  static JsonNode onlyEvent(String query) throws Exception {
    JsonNode events = events(query);
    assertThat(events).as(query).hasSize(1);
    return events.get(0);
  }

  static JsonNode events(String query) throws Exception {
    return JSON.readTree(admin("GET", "/api/1.0/gatehouse/audit/events?" + query, null).body()).get("events");
  }

  static String user(String name) {
    return server.userWithKey(name);
  }

  static HttpResponse<String> admin(String method, String path, String body) {
    return server.call(method, path, body, TestServer.ADMIN_KEY);
  }

  static boolean postgres() {
    return TestDatabases.postgres();
  }
}
