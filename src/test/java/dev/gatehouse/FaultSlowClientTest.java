package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients (issue 9, point 3, "slowloris"): many sockets that send their request head a byte at
 * a time, and some that stop halfway. Jetty parses heads without a thread per connection, so the
 * trickling ones cost a socket each and other clients are served as usual; the silent ones are
 * closed by the connector's idle timeout (config.yml {@code idleTimeout}, 2 s here instead of 30 s).
 * Bounds are generous: the test runs on a loaded 2-core machine and asserts on outcomes, not speed.
 */
class FaultSlowClientTest {
  private static final int TRICKLING = 200;
  private static final int SILENT = 20;
  private static final byte[] HEAD = ("GET /api/2.1/unity-catalog/catalogs HTTP/1.1\r\nHost: localhost\r\n"
      + "Authorization: Bearer " + TestServer.ADMIN_KEY + "\r\nX-Padding: " + "p".repeat(2_000) + "\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII);

  @RegisterExtension
  static final TestServer server = new TestServer().withConfig("server.applicationConnectors[0].idleTimeout", "2s");

  @Test
  void slowClientsCostOthersNothingAndSilentOnesAreDropped() throws Exception {
    List<Socket> trickling = Collections.synchronizedList(new ArrayList<>());
    List<Socket> silent = new ArrayList<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < TRICKLING; i++) {
        trickling.add(new Socket("127.0.0.1", server.port()));
      }
      for (int i = 0; i < SILENT; i++) {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.getOutputStream().write(HEAD, 0, 40); // the request line and a bit, then nothing
        silent.add(socket);
      }
      // every trickling socket gets its next byte every ~500 ms, well inside the idle timeout
      int[] sent = new int[TRICKLING];
      trickle.scheduleAtFixedRate(() -> {
        for (int i = 0; i < TRICKLING; i++) {
          try {
            trickling.get(i).getOutputStream().write(HEAD[sent[i]++ % (HEAD.length - 4)]);
          } catch (IOException | RuntimeException ignored) {
            // counted below: a trickling socket is not supposed to be closed
          }
        }
      }, 0, 500, TimeUnit.MILLISECONDS);

      // others are served while the slow ones hang on
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long start = System.nanoTime();
        HttpResponse<String> response = server.sendOnce(server.adminRequest("/api/2.1/unity-catalog/catalogs"));
        millis.add((System.nanoTime() - start) / 1_000_000);
        assertThat(response.statusCode()).isEqualTo(200);
        Thread.sleep(50);
      }
      Collections.sort(millis);
      assertThat(millis.get(millis.size() - 1)).as("the slowest of 40 requests, in ms, beside %d slow clients: %s",
          TRICKLING + SILENT, millis).isLessThan(10_000);

      // the silent ones were dropped by the idle timeout (each read returns at once: EOF or Jetty's 408)
      for (Socket socket : silent) {
        assertThat(closedWithin(socket, 20_000)).as("a silent socket is closed by the server").isTrue();
      }
      // the trickling ones are still open: they are slow, not idle, and cost a socket each
      assertThat(trickling.stream().filter(s -> !s.isClosed()).count()).isEqualTo(TRICKLING);
    } finally {
      trickle.shutdownNow();
      for (Socket s : trickling) {
        s.close();
      }
      for (Socket s : silent) {
        s.close();
      }
    }
    assertThat(server.call("GET", "/api/2.1/unity-catalog/catalogs", null, TestServer.ADMIN_KEY).statusCode())
        .isEqualTo(200);
  }

  /** Whether the server closes {@code socket} within {@code ms} (what it sends before closing is read and dropped). */
  private static boolean closedWithin(Socket socket, int ms) throws IOException {
    socket.setSoTimeout(ms);
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // a 408 or 400 before the close
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
