import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N streaming chat requests at once against a server on loopback and holds them until they
 * end, counting completions (status 200 and data: [DONE] seen, no error event) and errors.
 *
 * <p>Plain sockets on virtual threads, one request per connection: the client must cost next to
 * nothing, since it shares the machine's cores with the server it measures. The response is read
 * raw (chunk-size lines included); only the status line, error events and [DONE] matter.
 *
 * <p>Usage: java StreamClient PORT KEY MODEL N TIMEOUT_SECONDS [RAMP_SECONDS]: with a ramp, stream i
 * starts at i * RAMP / N seconds instead of all at once.
 * Prints one line: ok=... errors=... peak_open=... plus the first few distinct error reasons.
 */
public final class StreamClient {
  private StreamClient() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    String key = args[1];
    String model = args[2];
    int n = Integer.parseInt(args[3]);
    long timeoutSeconds = Long.parseLong(args[4]);
    long rampMillis = args.length > 5 ? Long.parseLong(args[5]) * 1000 : 0;
    String body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
        + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n"
        + "Connection: close\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.UTF_8);

    AtomicInteger ok = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger open = new AtomicInteger();
    AtomicInteger peakOpen = new AtomicInteger();
    ConcurrentHashMap<String, Integer> reasons = new ConcurrentHashMap<>();
    CountDownLatch finished = new CountDownLatch(n);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long delay = rampMillis * i / n;
      Thread.ofVirtual().start(() -> {
        String reason = null;
        sleep(delay);
        boolean counted = false;
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
          // bounded: a stream that stalls longer than the whole test is an error, not a hang
          socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(timeoutSeconds));
          OutputStream out = socket.getOutputStream();
          out.write(request);
          out.flush();
          BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1024);
          String status = in.readLine();
          if (status == null || !status.startsWith("HTTP/1.1 200")) {
            reason = "status " + status;
          } else {
            counted = true;
            peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            boolean done = false;
            for (String line; (line = in.readLine()) != null; ) {
              if (line.startsWith("data: {\"error\"")) {
                reason = "error event " + line;
                break;
              }
              done |= line.equals("data: [DONE]");
            }
            if (reason == null && !done) {
              reason = "stream ended without [DONE]";
            }
          }
        } catch (IOException e) {
          reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
          if (counted) {
            open.decrementAndGet();
          }
          if (reason == null) {
            ok.incrementAndGet();
          } else {
            errors.incrementAndGet();
            reasons.merge(reason.length() > 160 ? reason.substring(0, 160) : reason, 1, Integer::sum);
          }
          finished.countDown();
        }
      });
    }
    boolean all = finished.await(timeoutSeconds + 30, TimeUnit.SECONDS);
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    StringBuilder line = new StringBuilder("ok=" + ok + " errors=" + errors + " unfinished=" + finished.getCount()
        + " peak_open=" + peakOpen + " seconds=" + seconds + (all ? "" : " (gave up waiting)"));
    reasons.entrySet().stream().limit(5).forEach(e -> line.append("\n  ").append(e.getValue()).append(" x ").append(e.getKey()));
    System.out.println(line);
    System.exit(0); // do not wait for streams still open after the deadline
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
