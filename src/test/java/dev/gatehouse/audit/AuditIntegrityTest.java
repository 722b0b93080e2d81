package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestDatabases;
import dev.gatehouse.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit write is part of the change, and tampering with stored events is found. */
class AuditIntegrityTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] EVENT_TABLES = {"audit_pending", "audit_events"};

  @Test
  void aChangeWhoseEventCannotBeWrittenIsRolledBackWith503() throws Exception {
    Jdbi jdbi = jdbi();
    // Inject the failure in the database itself: events of this one action are refused where the
    // change's transaction writes them (linked on H2, staged on PostgreSQL: both tables refuse them).
    for (String table : EVENT_TABLES) {
      jdbi.useHandle(h -> h.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_doomed_" + table
          + " CHECK (full_name <> 'doomed')"));
    }
    try {
      var response = server.call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"doomed\"}",
          TestServer.ADMIN_KEY);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("\"error_code\":\"UNAVAILABLE\"");
      assertThat(server.call("GET", "/api/2.1/unity-catalog/catalogs/doomed", null, TestServer.ADMIN_KEY)
          .statusCode()).isEqualTo(404);
    } finally {
      for (String table : EVENT_TABLES) {
        jdbi.useHandle(h -> h.execute("ALTER TABLE " + table + " DROP CONSTRAINT no_doomed_" + table));
      }
    }
    assertThat(server.call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"doomed\"}", TestServer.ADMIN_KEY)
        .statusCode()).isEqualTo(200);
    assertThat(changesUnderWay()).isZero();
  }

  @Test
  void refusedChangesEndTheirCountOfChangesUnderWay() throws Exception {
    // Linking rounds wait for the changes under way: one never ended would hold every round up.
    String path = "/api/2.1/unity-catalog/catalogs";
    assertThat(server.call("POST", path, "{\"name\":\"counted\"}", TestServer.ADMIN_KEY).statusCode()).isEqualTo(200);
    assertThat(server.call("POST", path, "{\"name\":\"counted\"}", TestServer.ADMIN_KEY).statusCode()).isEqualTo(409);
    assertThat(server.call("POST", path, "{\"name\":", TestServer.ADMIN_KEY).statusCode()).isEqualTo(400);
    assertThat(server.call("DELETE", path + "/absent", null, TestServer.ADMIN_KEY).statusCode()).isEqualTo(404);
    assertThat(changesUnderWay()).isZero();
  }

  private static int changesUnderWay() throws Exception {
    var metrics = server.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.adminPort() + "/metrics")));
    return JSON.readTree(metrics.body()).get("gauges").get("gatehouse.audit.changes-under-way").get("value").asInt();
  }

  @Test
  void tamperingIsFoundAndNamed() throws Exception {
    for (String name : new String[] {"t1", "t2", "t3"}) {
      server.call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"" + name + "\"}", TestServer.ADMIN_KEY);
    }
    JsonNode target = JSON.readTree(server.call("GET", "/api/1.0/gatehouse/audit/events?full_name=t2", null,
        TestServer.ADMIN_KEY).body()).get("events").get(0);
    Jdbi jdbi = jdbi();
    String disable = "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only";
    String enable = "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only";
    if (TestDatabases.postgres()) {
      jdbi.useHandle(h -> h.execute(disable));
    }
    try {
      jdbi.useHandle(h -> h.createUpdate("UPDATE audit_events SET actor_name = 'mallory' WHERE seq = :seq")
          .bind("seq", target.get("seq").asLong()).execute());
      JsonNode verdict = JSON.readTree(server.call("GET", "/api/1.0/gatehouse/audit/verify", null,
          TestServer.ADMIN_KEY).body());
      assertThat(verdict.get("ok").asBoolean()).isFalse();
      assertThat(verdict.get("broken_seq").asLong()).isEqualTo(target.get("seq").asLong());
      assertThat(verdict.get("broken_event_id").asText()).isEqualTo(target.get("event_id").asText());
    } finally {
      jdbi.useHandle(h -> h.createUpdate("UPDATE audit_events SET actor_name = 'admin' WHERE seq = :seq")
          .bind("seq", target.get("seq").asLong()).execute());
      if (TestDatabases.postgres()) {
        jdbi.useHandle(h -> h.execute(enable));
      }
    }
    assertThat(JSON.readTree(server.call("GET", "/api/1.0/gatehouse/audit/verify", null, TestServer.ADMIN_KEY)
        .body()).get("ok").asBoolean()).isTrue();
  }

  @Test
  void postgresRefusesUpdatesAndDeletesOfTheLiveChain() {
    if (!TestDatabases.postgres()) {
      return; // the trigger is PostgreSQL's; H2 has no equivalent
    }
    server.call("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"guarded\"}", TestServer.ADMIN_KEY);
    Jdbi jdbi = jdbi();
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("UPDATE audit_events SET actor_name = 'x'")))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("DELETE FROM audit_events")))
        .hasMessageContaining("append-only");
  }

  static Jdbi jdbi() {
    var db = server.database();
    return Jdbi.create(db.effectiveUrl(), db.getUser(), db.getPassword()).installPlugin(new SqlObjectPlugin());
  }
}
