package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestServer;
import dev.gatehouse.usage.UsageRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that leaves mid-stream stops the stream, and what was streamed to it is still recorded. */
class ClientDisconnectTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static GatewayFixture fixture;

  @BeforeAll
  static void model() {
    fixture = new GatewayFixture(server);
    fixture.schema("ai", "llm");
    fixture.connection("slow_mock", "MOCK", "{\"tokens_per_second\":\"20\",\"completion_tokens\":\"200\"}");
    fixture.model("slow", "");
    fixture.version("slow", 1, "slow_mock", "mock-slow", "chat", "champion");
  }

  @Test
  void leavingMidStreamIsRecordedWithWhatWasSent() throws Exception {
    String body = "{\"model\":\"ai.llm.slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
          + TestServer.ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
          + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      int chunks = 0;
      String line;
      while (chunks < 3 && (line = in.readLine()) != null) {
        if (line.startsWith("data: {")) {
          chunks++;
        }
      }
      assertThat(chunks).isEqualTo(3);
    } // the client leaves after three chunks, ~10 s before the answer would end
    var records = fixture.usageEventually("ai.llm.slow", r -> r.statusCode() == 499);
    UsageRecord left = records.stream().filter(r -> r.statusCode() == 499).findFirst().orElseThrow();
    assertThat(left.errorType()).isEqualTo("client_disconnected");
    assertThat(left.streamed()).isTrue();
    assertThat(left.completionTokens()).isBetween(3L, 199L);
    assertThat(left.tokensEstimated()).isTrue();
  }
}
