import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A fake OpenAI-compatible upstream for the gateway benchmark, on loopback only.
 *
 * <p>POST .../chat/completions answers a fixed small chat.completion (with usage); with
 * {@code "stream":true} a short SSE stream (a usage chunk when stream_options.include_usage is set,
 * then [DONE]). Under a path starting /hold/N/ the stream sends one chunk a second for N seconds
 * (N at most 600) before it ends: the open-streams test points a connection's base_url there.
 *
 * <p>Everything is precomputed bytes and every exchange runs on its own virtual thread, so that the
 * upstream costs as little CPU as possible and is not what the benchmark measures.
 *
 * <p>Usage: java FakeUpstream PORT (needs Java 21+ for virtual threads).
 */
public final class FakeUpstream {
  private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\","
      + "\"created\":1700000000,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"Hello from the fake upstream.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6,\"total_tokens\":18}}").getBytes(StandardCharsets.UTF_8);
  private static final String CHUNK_HEAD = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1700000000,\"model\":\"fake-model\",\"choices\":[";
  private static final byte[] ROLE = sse(CHUNK_HEAD + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
  private static final byte[] WORD = sse(CHUNK_HEAD + "{\"index\":0,\"delta\":{\"content\":\"hello \"},\"finish_reason\":null}]}");
  private static final byte[] FINISH = sse(CHUNK_HEAD + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
  private static final byte[] USAGE = sse(CHUNK_HEAD + "],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}");
  private static final byte[] DONE = sse("data: [DONE]");

  private FakeUpstream() {}

  private static byte[] sse(String line) {
    return (line + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    // A deep accept backlog: the open-streams test connects thousands of sockets at once.
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8192);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", FakeUpstream::handle);
    server.start();
    System.out.println("fake upstream on 127.0.0.1:" + port);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String path = exchange.getRequestURI().getPath();
      if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/chat/completions")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      // Gatehouse and the benchmark clients send compact JSON, so a substring test is enough here.
      boolean stream = body.contains("\"stream\":true");
      if (!stream) {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, COMPLETION.length);
        exchange.getResponseBody().write(COMPLETION);
        return;
      }
      int hold = path.startsWith("/hold/") ? Math.min(600, Integer.parseInt(path.split("/")[2])) : 0;
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0); // chunked
      OutputStream out = exchange.getResponseBody();
      write(out, ROLE);
      for (int i = 0; i < Math.max(3, hold); i++) {
        if (hold > 0) {
          sleep(1000);
        }
        write(out, WORD);
      }
      write(out, FINISH);
      if (body.contains("\"include_usage\":true")) {
        write(out, USAGE);
      }
      write(out, DONE);
    } catch (IOException | RuntimeException e) {
      // the client went away, or a malformed hold path; nothing to answer
    }
  }

  private static void write(OutputStream out, byte[] chunk) throws IOException {
    out.write(chunk);
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
