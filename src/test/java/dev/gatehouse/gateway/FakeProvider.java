package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake OpenAI and Anthropic server on loopback, scripted per test: answers, streams (with or
 * without usage), failures (500, 429, or 500 for the next few requests only), broken streams,
 * stalls, a slow head and slow streams. Records what it received, bodies and headers.
 */
public class FakeProvider implements BeforeAllCallback, AfterAllCallback {
  static final ObjectMapper JSON = new ObjectMapper();

  /** How the next requests are answered. */
  public enum Mode {
    OK, NO_USAGE, FAIL_500, FAIL_429, RESET_MID_STREAM, STALL_MID_STREAM,
    /** {@link #delay} before the response head. */
    SLOW_HEAD,
    /** {@link #delay} between stream events: slow, but never idle for long. */
    SLOW_STREAM
  }

  private HttpServer server;
  private volatile Mode mode = Mode.OK;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile long delayMs = 2_000;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v1/chat/completions", this::openAi);
    server.createContext("/v1/embeddings", this::embeddings);
    server.createContext("/v1/messages", this::anthropic);
    server.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.stop(0);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** The next {@code n} requests get a 500 whatever the mode, the ones after are answered by it. */
  public void failNext(int n) {
    failNext.set(n);
  }

  /** The pause of {@link Mode#SLOW_HEAD} and {@link Mode#SLOW_STREAM}. */
  public void delay(long ms) {
    delayMs = ms;
  }

  public List<JsonNode> received() {
    return received;
  }

  /** How a request came: its path, its query (or null) and its headers, names in lower case. */
  public record Sent(String path, String query, Map<String, String> headers) {}

  /** The requests received, in order, as they came on the wire. */
  public List<Sent> sent() {
    return sent;
  }

  public int calls() {
    return calls.get();
  }

  private void openAi(HttpExchange exchange) throws IOException {
    JsonNode request = read(exchange);
    if (failed(exchange)) {
      return;
    }
    String model = request.path("model").asText();
    if (!request.path("stream").asBoolean()) {
      String usage = mode == Mode.NO_USAGE ? "" : ",\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,"
          + "\"total_tokens\":18,\"prompt_tokens_details\":{\"cached_tokens\":3}}";
      send(exchange, 200, "application/json", "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
          + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Hello from " + model + "\"},\"finish_reason\":\"stop\"}]" + usage + "}");
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      String[] words = {"Hello", " from", " " + model};
      for (int i = 0; i < words.length; i++) {
        event(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
            + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + words[i] + "\"},\"finish_reason\":null}]}");
        if (i == 1 && mode == Mode.RESET_MID_STREAM) {
          exchange.getHttpContext().getServer();
          throw new IOException("reset"); // the exchange closes without the chunked terminator
        }
        if (i == 1 && mode == Mode.STALL_MID_STREAM) {
          sleep(5_000);
        }
        if (mode == Mode.SLOW_STREAM) {
          sleep(delayMs);
        }
      }
      event(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
          + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
      if (mode != Mode.NO_USAGE && request.path("stream_options").path("include_usage").asBoolean()) {
        event(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
            + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14}}");
      }
      event(out, "[DONE]");
    }
  }

  private void embeddings(HttpExchange exchange) throws IOException {
    read(exchange);
    if (failed(exchange)) {
      return;
    }
    send(exchange, 200, "application/json", "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
        + "\"embedding\":[0.1,0.2]}],\"model\":\"e\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}");
  }

  private void anthropic(HttpExchange exchange) throws IOException {
    JsonNode request = read(exchange);
    if (failed(exchange)) {
      return;
    }
    String model = request.path("model").asText();
    String usage = "\"usage\":{\"input_tokens\":9,\"output_tokens\":4,\"cache_read_input_tokens\":2,"
        + "\"cache_creation_input_tokens\":0}";
    if (!request.path("stream").asBoolean()) {
      send(exchange, 200, "application/json", "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"" + model + "\",\"content\":[{\"type\":\"text\",\"text\":\"Bonjour from " + model + "\"}],"
          + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null," + usage + "}");
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      named(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,"
          + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1,\"cache_read_input_tokens\":2}}}");
      named(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
      String[] words = {"Bonjour", " from", " " + model};
      for (int i = 0; i < words.length; i++) {
        named(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + words[i] + "\"}}");
        midStream(i);
      }
      named(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      named(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
          + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":4}}");
      named(out, "message_stop", "{\"type\":\"message_stop\"}");
    }
  }

  private JsonNode read(HttpExchange exchange) throws IOException {
    calls.incrementAndGet();
    JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    received.add(request);
    Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
        String.join(",", values)));
    sent.add(new Sent(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(), headers));
    // Every answer sets a cookie, as providers behind CDNs do: the gateway must never send it back.
    exchange.getResponseHeaders().add("Set-Cookie", "session=" + calls.get() + "; Path=/");
    return request;
  }

  /** What the stream modes do after event {@code i} of the Anthropic stream. */
  private void midStream(int i) throws IOException {
    if (i == 1 && mode == Mode.RESET_MID_STREAM) {
      throw new IOException("reset"); // the exchange closes without the chunked terminator
    }
    if (i == 1 && mode == Mode.STALL_MID_STREAM) {
      sleep(5_000);
    }
    if (mode == Mode.SLOW_STREAM) {
      sleep(delayMs);
    }
  }

  private boolean failed(HttpExchange exchange) throws IOException {
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      send(exchange, 500, "application/json", "{\"error\":{\"message\":\"transient\",\"type\":\"server_error\"}}");
      return true;
    }
    if (mode == Mode.SLOW_HEAD) {
      sleep(delayMs);
    }
    if (mode == Mode.FAIL_500) {
      send(exchange, 500, "application/json", "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
      return true;
    }
    if (mode == Mode.FAIL_429) {
      send(exchange, 429, "application/json", "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}");
      return true;
    }
    return false;
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void named(OutputStream out, String name, String data) throws IOException {
    out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
