package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.client.ApiException;
import dev.gatehouse.client.api.ConnectionsApi;
import dev.gatehouse.client.model.ConnectionInfo;
import dev.gatehouse.client.model.ConnectionType;
import dev.gatehouse.client.model.CreateConnection;
import dev.gatehouse.client.model.UpdateConnection;
import dev.gatehouse.testing.TestServer;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final ConnectionsApi connections = new ConnectionsApi(server.admin());

  @Test
  void apiKeyIsWriteOnlyAndEncryptedAtRest() throws Exception {
    ConnectionInfo created = connections.createConnection(new CreateConnection().name("OpenAI_Prod")
        .connectionType(ConnectionType.OPENAI)
        .options(Map.of("api_key", "sk-test-1234567890abcdef", "header.OpenAI-Project", "proj_1")));
    assertThat(created.getName()).isEqualTo("openai_prod");
    assertThat(created.getOptions()).containsEntry("api_key", "****cdef").containsEntry("header.OpenAI-Project", "proj_1");
    assertThat(created.getUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(connections.getConnection("openai_prod").toString()).doesNotContain("sk-test-1234567890abcdef");
    assertThat(connections.listConnections(null, null).getConnections()).extracting(ConnectionInfo::getName)
        .contains("openai_prod");

    var db = server.database();
    String stored = Jdbi.create(db.effectiveUrl(), db.getUser(), db.getPassword()).withHandle(h ->
        h.createQuery("SELECT api_key_ciphertext FROM connection_details WHERE securable_id = :id")
            .bind("id", created.getConnectionId()).mapTo(String.class).one());
    assertThat(stored).isNotBlank().doesNotContain("sk-test");
    assertThat(SecretBox.fromMasterKey(TestServer.MASTER_KEY).open(stored, created.getConnectionId()))
        .isEqualTo("sk-test-1234567890abcdef");
  }

  @Test
  void updateMergesOptionsAndReplacesTheKey() throws Exception {
    connections.createConnection(new CreateConnection().name("vllm").connectionType(ConnectionType.OPENAI_COMPATIBLE)
        .options(Map.of("base_url", "http://127.0.0.1:9/v1", "api_key", "first-key-0000")));
    ConnectionInfo updated = connections.updateConnection("vllm", new UpdateConnection()
        .options(Map.of("api_key", "second-key-9999", "idle_timeout_ms", "5000")).comment("local"));
    assertThat(updated.getOptions()).containsEntry("base_url", "http://127.0.0.1:9/v1")
        .containsEntry("idle_timeout_ms", "5000").containsEntry("api_key", "****9999");
    assertThat(updated.getComment()).isEqualTo("local");
  }

  @Test
  void invalidConnectionsAreRejected() {
    assertStatus(() -> connections.createConnection(new CreateConnection().name("x1")
        .connectionType(ConnectionType.OPENAI_COMPATIBLE)), 400);
    assertStatus(() -> connections.createConnection(new CreateConnection().name("x2")
        .connectionType(ConnectionType.OPENAI).options(Map.of("base_url", "ftp://nope"))), 400);
    assertStatus(() -> connections.createConnection(new CreateConnection().name("x3")
        .connectionType(ConnectionType.MOCK).options(Map.of("latency_ms", "-1"))), 400);
    assertStatus(() -> connections.createConnection(new CreateConnection().name("x4")
        .connectionType(ConnectionType.MOCK).options(Map.of("colour", "blue"))), 400);
    assertStatus(() -> connections.createConnection(new CreateConnection().name("x5")
        .connectionType(ConnectionType.OPENAI).options(Map.of("header.Content-Length", "0"))), 400);
    assertStatus(() -> connections.createConnection(new CreateConnection().name("x6")
        .connectionType(ConnectionType.OPENAI).options(Map.of("header.Bad Name", "1"))), 400);
    assertStatus(() -> connections.createConnection(new CreateConnection().name("bad name")
        .connectionType(ConnectionType.MOCK)), 400);
  }

  @Test
  void creatingNeedsCreateConnectionAndOthersSeeNothing() throws Exception {
    connections.createConnection(new CreateConnection().name("private_conn").connectionType(ConnectionType.MOCK));
    String key = server.userWithKey("conn_user");
    ConnectionsApi asUser = new ConnectionsApi(server.client(key));
    assertStatus(() -> asUser.createConnection(new CreateConnection().name("mine").connectionType(ConnectionType.MOCK)),
        403);
    assertStatus(() -> asUser.getConnection("private_conn"), 404);
    assertThat(asUser.listConnections(null, null).getConnections()).isEmpty();
    server.call("PATCH", "/api/2.1/unity-catalog/permissions/metastore/metastore",
        "{\"changes\":[{\"principal\":\"conn_user\",\"add\":[\"CREATE_CONNECTION\"]}]}", TestServer.ADMIN_KEY);
    assertThat(asUser.createConnection(new CreateConnection().name("mine").connectionType(ConnectionType.MOCK))
        .getOwner()).isEqualTo("conn_user");
    asUser.deleteConnection("mine");
    assertStatus(() -> asUser.getConnection("mine"), 404);
  }

  private static void assertStatus(CallThrowing call, int status) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(status));
  }

  @FunctionalInterface
  interface CallThrowing {
    void run() throws Exception;
  }
}
