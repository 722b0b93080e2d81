import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency at a steady pace: RATE small chat requests a second for SECONDS over one keep-alive
 * connection, each timed from the moment it was due, not from when it could be sent. A stall then
 * also counts against the requests it held back (no coordinated omission), while the pace leaves
 * the server idle between requests, unlike wrk's back-to-back requests on one connection, which
 * keep both cores busy and measure queueing behind the load generator and the JIT as much as the
 * server's own added time.
 *
 * <p>Usage: java LatencyClient PORT KEY MODEL RATE SECONDS (KEY "-" sends no Authorization).
 * Prints one line: n=... errors=... p50_ms=... p99_ms=... p999_ms=... max_ms=...
 */
public final class LatencyClient {
  private LatencyClient() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    String key = args[1];
    String model = args[2];
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    String body = "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
        + (key.equals("-") ? "" : "Authorization: Bearer " + key + "\r\n")
        + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    int n = rate * seconds;
    long interval = 1_000_000_000L / rate;
    long[] latencies = new long[n];
    int errors = 0;
    Socket socket = null;
    InputStream in = null;
    OutputStream out = null;
    long start = System.nanoTime() + 100_000_000L;
    for (int i = 0; i < n; i++) {
      long due = start + i * interval;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
          socket.setSoTimeout(30_000);
          in = new BufferedInputStream(socket.getInputStream());
          out = socket.getOutputStream();
        }
        out.write(request);
        out.flush();
        Answer answer = readAnswer(in);
        if (answer.status != 200) {
          errors++;
        }
        if (answer.close) {
          socket.close();
          socket = null;
        }
      } catch (IOException e) {
        errors++;
        if (socket != null) {
          socket.close();
          socket = null;
        }
      }
      latencies[i] = System.nanoTime() - due;
    }
    if (socket != null) {
      socket.close();
    }
    Arrays.sort(latencies);
    System.out.printf(Locale.ROOT, "n=%d errors=%d p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n", n, errors,
        ms(latencies, 0.50), ms(latencies, 0.99), ms(latencies, 0.999), latencies[n - 1] / 1e6);
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  private record Answer(int status, boolean close) {}

  /** Reads one HTTP/1.1 response whole: its body by Content-Length or chunked. */
  private static Answer readAnswer(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (chunked) {
      for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
          size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
        skip(in, size);
        line(in);
      }
      for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
        // trailers: none expected, read past them
      }
    } else if (length >= 0) {
      skip(in, length);
    } else {
      in.readAllBytes();
      close = true;
    }
    return new Answer(status, close);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed mid-response");
      }
      if (b != '\r') {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.US_ASCII);
  }

  private static void skip(InputStream in, long count) throws IOException {
    for (long left = count; left > 0; ) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("connection closed mid-body");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }
}
