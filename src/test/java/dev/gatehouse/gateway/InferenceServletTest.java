package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the inference servlet does in place of Jersey's filters for the three calls it serves: the
 * audit operation and body of refused calls, other methods, the body of a refused request read so
 * its connection goes on, and the calls' paths that Jersey still serves.
 */
class InferenceServletTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT_BODY = "{\"model\":\"ai.llm.assistant\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"hi\"}]}";

  @RegisterExtension
  static final TestServer server = new TestServer();

  @BeforeAll
  static void models() {
    GatewayFixture fixture = new GatewayFixture(server);
    fixture.schema("ai", "llm");
    fixture.connection("mock", "MOCK", "{\"completion_tokens\":\"3\"}");
    fixture.model("assistant", "");
    fixture.version("assistant", 1, "mock", "mock-large", "chat", "champion");
  }

  @Test
  void refusedCallsAreAuditedUnderTheirOperationWithTheirBody() throws IOException {
    String outsider = server.userWithKey("servlet_outsider");
    assertThat(server.call("POST", "/v1/chat/completions", CHAT_BODY, "ghk_wrong-key-0123456789abcdefghijklmn")
        .statusCode()).isEqualTo(401);
    HttpResponse<String> hidden = server.call("POST", "/v1/messages", "{\"model\":\"ai.llm.assistant\","
        + "\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"api_key\":\"sk-leak\"}", outsider);
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(hidden.body()).path("error").path("type").asText()).isEqualTo("not_found_error");

    JsonNode unauthenticated = onlyEvent("action=createChatCompletion&status=401");
    assertThat(unauthenticated.path("service").asText()).isEqualTo("gateway");
    assertThat(unauthenticated.has("actor_name")).isFalse();
    JsonNode denied = onlyEvent("action=createMessage&actor=servlet_outsider");
    assertThat(denied.path("status_code").asInt()).isEqualTo(404);
    assertThat(denied.path("api_key_id").asText()).isNotBlank();
    JsonNode body = denied.path("request_params").path("body");
    assertThat(body.path("model").asText()).isEqualTo("ai.llm.assistant");
    assertThat(body.path("api_key").asText()).isEqualTo("***");
  }

  /** The servlet's calls and Jersey's /v1/models refuse a wrong key alike, as the provider's SDKs read it. */
  @Test
  void aWrongKeyIs401InTheProviderShapeOnEveryInferencePath() throws IOException {
    String wrong = "ghk_wrong-key-0123456789abcdefghijklmn";
    for (String path : new String[] {"/v1/chat/completions", "/v1/models"}) {
      HttpResponse<String> refused = server.call(path.endsWith("models") ? "GET" : "POST", path, CHAT_BODY, wrong);
      assertThat(refused.statusCode()).as(path).isEqualTo(401);
      JsonNode error = JSON.readTree(refused.body()).path("error");
      assertThat(error.path("code").asText()).as(path).isEqualTo("invalid_api_key");
      assertThat(error.path("type").asText()).as(path).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asText()).as(path).isEqualTo("A valid API key is required.");
    }
    HttpResponse<String> messages = server.call("POST", "/v1/messages", CHAT_BODY, wrong);
    assertThat(messages.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(messages.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
  }

  @Test
  void otherMethodsAre405InTheProviderShape() throws IOException {
    HttpResponse<String> chat = server.send(server.adminRequest("/v1/chat/completions").GET());
    assertThat(chat.statusCode()).isEqualTo(405);
    assertThat(chat.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
    assertThat(JSON.readTree(chat.body()).path("error").path("code").asText()).isEqualTo("method_not_allowed");
    HttpResponse<String> messages = server.send(server.adminRequest("/v1/messages")
        .method("DELETE", BodyPublishers.noBody()));
    assertThat(messages.statusCode()).isEqualTo(405);
    assertThat(JSON.readTree(messages.body()).path("type").asText()).isEqualTo("error");
  }

  /** Three requests sent back to back on one connection: the refused ones' bodies must be read past. */
  @Test
  void aRefusedRequestsBodyIsReadSoItsConnectionServesTheNext() throws IOException {
    String padding = " ".repeat(100_000);
    String refused = request("/v1/chat/completions", "ghk_wrong-key-0123456789abcdefghijklmn", CHAT_BODY + padding, "");
    String malformed = request("/v1/embeddings", TestServer.ADMIN_KEY, "{\"model\": [" + padding + "}", "");
    String served = request("/v1/chat/completions", TestServer.ADMIN_KEY, CHAT_BODY, "Connection: close\r\n");
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      // the refused body arrives after its answer could have been sent: the server must wait for it
      byte[] refusedBytes = refused.getBytes(StandardCharsets.UTF_8);
      out.write(refusedBytes, 0, refusedBytes.length / 2);
      out.flush();
      sleep(300);
      out.write(refusedBytes, refusedBytes.length / 2, refusedBytes.length - refusedBytes.length / 2);
      out.write((malformed + served).getBytes(StandardCharsets.UTF_8));
      out.flush();
      String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int first = answers.indexOf("HTTP/1.1 401");
      int second = answers.indexOf("HTTP/1.1 400", first);
      int third = answers.indexOf("HTTP/1.1 200", second);
      assertThat(first).as(answers).isGreaterThanOrEqualTo(0);
      assertThat(second).as(answers).isGreaterThan(first);
      assertThat(third).as(answers).isGreaterThan(second);
      assertThat(answers.substring(third)).contains("chat.completion");
    }
  }

  @Test
  void aCharsetAndTheTrailingSlashPathAreServedAlike() throws IOException {
    for (String path : new String[] {"/v1/chat/completions", "/v1/chat/completions/"}) {
      HttpResponse<String> answer = server.send(server.adminRequest(path)
          .header("Content-Type", "application/json; charset=UTF-8").POST(BodyPublishers.ofString(CHAT_BODY)));
      assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
      assertThat(JSON.readTree(answer.body()).path("usage").path("completion_tokens").asInt()).as(path).isEqualTo(3);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonNode onlyEvent(String query) throws IOException {
    HttpResponse<String> events = server.call("GET", "/api/1.0/gatehouse/audit/events?service=gateway&" + query, null,
        TestServer.ADMIN_KEY);
    assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
    JsonNode list = JSON.readTree(events.body()).path("events");
    assertThat(list).as(events.body()).hasSize(1);
    return list.get(0);
  }

  private static String request(String path, String key, String body, String extraHeaders) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n" + extraHeaders + "\r\n" + body;
  }
}
