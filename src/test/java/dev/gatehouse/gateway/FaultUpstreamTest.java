package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.SpecOperations.Wire;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.testing.WireChecks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Providers failing every way they do (issue 9, point 3): a 500 once or for good, an answer slower
 * than the first-byte timeout, slow but live streams, stalled streams, streams cut off or reset
 * mid-way, connections reset before any answer. The client always gets a clear answer in its own
 * wire format, never a hang, and every call leaves its usage record.
 */
class FaultUpstreamTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "/v1/messages";

  @RegisterExtension
  static final TestServer server = new TestServer();
  @RegisterExtension
  static final FakeProvider provider = new FakeProvider();
  private static GatewayFixture fixture;
  private static ResettingProvider resetting;

  @BeforeAll
  static void models() throws IOException {
    resetting = new ResettingProvider();
    fixture = new GatewayFixture(server);
    fixture.schema("ai", "llm");
    // one retry (the default), short timeouts so that the faults show within a test's patience
    String timeouts = "\"first_byte_timeout_ms\":\"800\",\"idle_timeout_ms\":\"1000\",\"max_retries\":\"1\"";
    fixture.connection("oai", "OPENAI_COMPATIBLE", "{\"base_url\":\"" + provider.baseUrl() + "/v1\"," + timeouts + "}");
    fixture.connection("ant", "ANTHROPIC", "{\"base_url\":\"" + provider.baseUrl() + "\"," + timeouts + "}");
    fixture.connection("rst", "OPENAI_COMPATIBLE", "{\"base_url\":\"" + resetting.baseUrl() + "/v1\"," + timeouts + "}");
    fixture.model("gpt", "");
    fixture.version("gpt", 1, "oai", "gpt-test", "chat", "champion");
    fixture.model("claude", "");
    fixture.version("claude", 1, "ant", "claude-test", "chat", "champion");
    fixture.model("cut", "");
    fixture.version("cut", 1, "rst", "cut-test", "chat", "champion");
  }

  @AfterAll
  static void stopResetting() throws IOException {
    resetting.close();
  }

  @AfterEach
  void healthy() {
    provider.mode(FakeProvider.Mode.OK);
    provider.failNext(0);
  }

  @Test
  void aTransient500IsRetriedBeforeAnyByteReachesTheClient() {
    for (String path : List.of(CHAT, MESSAGES)) {
      for (boolean stream : List.of(false, true)) {
        provider.failNext(1);
        int before = provider.calls();
        HttpResponse<String> response = post(path, path.equals(CHAT) ? "ai.llm.gpt" : "ai.llm.claude", stream);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        assertThat(response.body()).as(path).contains(path.equals(CHAT) ? "Hello" : "Bonjour");
        assertThat(provider.calls() - before).as("the failed attempt and its retry").isEqualTo(2);
      }
    }
  }

  @Test
  void aProviderThatKeepsFailingIs502InTheClientsShapeAndRecorded() {
    provider.mode(FakeProvider.Mode.FAIL_500);
    for (String path : List.of(CHAT, MESSAGES)) {
      int before = provider.calls();
      HttpResponse<String> response = post(path, path.equals(CHAT) ? "ai.llm.gpt" : "ai.llm.claude", true);
      assertError(path, response, 502);
      assertThat(provider.calls() - before).isEqualTo(2);
    }
    assertThat(fixture.usage("ai.llm.claude")).anySatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.errorType()).isEqualTo("upstream_unavailable");
    });
  }

  @Test
  void aProviderSlowerThanTheFirstByteTimeoutIs504AfterItsRetry() throws Exception {
    provider.mode(FakeProvider.Mode.SLOW_HEAD);
    provider.delay(3_000);
    for (String path : List.of(CHAT, MESSAGES)) {
      String model = path.equals(CHAT) ? "ai.llm.gpt" : "ai.llm.claude";
      HttpResponse<String> response = post(path, model, false);
      assertError(path, response, 504);
      assertThat(fixture.usageEventually(model, r -> r.statusCode() == 504)).anySatisfy(r ->
          assertThat(r.errorType()).isEqualTo("upstream_timeout"));
    }
  }

  @Test
  void aSlowButLiveStreamIsNotCut() throws Exception {
    provider.mode(FakeProvider.Mode.SLOW_STREAM);
    provider.delay(400); // each event well inside the 1 s idle timeout, the whole stream well past it
    HttpResponse<String> chat = post(CHAT, "ai.llm.gpt", true);
    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.body()).contains("[DONE]").doesNotContain("\"error\"");
    HttpResponse<String> messages = post(MESSAGES, "ai.llm.claude", true);
    assertThat(messages.statusCode()).isEqualTo(200);
    assertThat(messages.body()).contains("message_stop").doesNotContain("event: error");
    assertThat(fixture.usageEventually("ai.llm.claude", r -> r.streamed() && r.statusCode() == 200)).isNotEmpty();
  }

  @Test
  void aStalledStreamIsCutWithAnErrorEventWhileOthersAreServed() throws Exception {
    provider.mode(FakeProvider.Mode.STALL_MID_STREAM);
    List<CompletableFuture<HttpResponse<String>>> stalled = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String path = i % 2 == 0 ? CHAT : MESSAGES;
      String model = i % 2 == 0 ? "ai.llm.gpt" : "ai.llm.claude";
      stalled.add(CompletableFuture.supplyAsync(() -> post(path, model, true)));
    }
    // while four streams hang on their provider, the server answers everyone else
    for (int i = 0; i < 5; i++) {
      assertThat(server.call("GET", "/v1/models", null, TestServer.ADMIN_KEY).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < stalled.size(); i++) {
      HttpResponse<String> response = stalled.get(i).get(60, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200); // the head went out before the stall
      assertThat(response.body()).as("stream %d", i).contains(i % 2 == 0 ? "\"error\"" : "event: error");
    }
    assertThat(fixture.usageEventually("ai.llm.claude", r -> r.statusCode() == 504)).anySatisfy(r -> {
      assertThat(r.errorType()).isEqualTo("upstream_idle_timeout");
      assertThat(r.streamed()).isTrue();
    });
  }

  @Test
  void aStreamCutOffMidwayEndsWithAnErrorEventAndIsRecorded() throws Exception {
    provider.mode(FakeProvider.Mode.RESET_MID_STREAM);
    HttpResponse<String> messages = post(MESSAGES, "ai.llm.claude", true);
    assertThat(messages.body()).contains("Bonjour").contains("event: error").doesNotContain("message_stop");
    // a real TCP reset after two events
    resetting.afterEvents(2);
    HttpResponse<String> chat = post(CHAT, "ai.llm.cut", true);
    assertThat(chat.body()).contains("part").contains("\"error\"").doesNotContain("[DONE]");
    HttpResponse<String> translated = post(MESSAGES, "ai.llm.cut", true);
    assertThat(translated.body()).contains("part").contains("event: error");
    for (String model : List.of("ai.llm.claude", "ai.llm.cut")) {
      assertThat(fixture.usageEventually(model, r -> r.statusCode() == 502 && r.streamed())).anySatisfy(r ->
          assertThat(r.errorType()).isEqualTo("upstream_stream_broken"));
    }
  }

  @Test
  void aConnectionResetBeforeAnyAnswerIsRetriedThen502() {
    resetting.afterEvents(-1);
    int before = resetting.accepted();
    HttpResponse<String> response = post(CHAT, "ai.llm.cut", false);
    assertError(CHAT, response, 502);
    assertThat(resetting.accepted() - before).as("the attempt and its retry").isEqualTo(2);
    assertThat(fixture.usage("ai.llm.cut")).anyMatch(r -> r.statusCode() == 502 && !r.streamed());
  }

  private static void assertError(String path, HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(status);
    assertThat(WireChecks.shapeProblems(path.equals(CHAT) ? Wire.OPENAI : Wire.ANTHROPIC, status,
        response.headers().firstValue("Content-Type").orElse(null), response.body())).isEmpty();
  }

  private static HttpResponse<String> post(String path, String model, boolean stream) {
    return server.call("POST", path, "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":32,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", TestServer.ADMIN_KEY);
  }

  /**
   * A provider on a raw socket, for what an HTTP server library does not do: reset the TCP
   * connection (SO_LINGER 0), before the head or after a number of stream events.
   */
  static final class ResettingProvider implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private volatile int events = -1;
    private final AtomicInteger accepted = new AtomicInteger();

    ResettingProvider() throws IOException {
      Thread acceptor = new Thread(this::serve, "resetting-provider");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Resets after {@code n} stream events; before the head when negative. */
    void afterEvents(int n) {
      events = n;
    }

    int accepted() {
      return accepted.get();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket client = socket.accept()) {
          accepted.incrementAndGet();
          client.setSoLinger(true, 0); // close() now sends RST
          readHead(client);
          if (events >= 0) {
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < events; i++) {
              byte[] event = ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                  + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"part" + i + " \"},\"finish_reason\":null}]}\n\n")
                  .getBytes(StandardCharsets.UTF_8);
              out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
              out.write(event);
              out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
            }
            Thread.sleep(100);
          }
        } catch (IOException | InterruptedException e) {
          // the reset is the point; a closed server socket ends the loop
        }
      }
    }

    /** Reads the request head and body (by Content-Length) so the gateway sees its request taken. */
    private static void readHead(Socket client) throws IOException {
      var in = client.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.append((char) b);
      }
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          in.readNBytes(Integer.parseInt(line.substring(15).trim()));
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
