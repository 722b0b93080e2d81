package dev.gatehouse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for bench/crash.sh: threads that create catalogs and call the gateway (whole and streamed
 * answers) until a deadline, writing one line per acknowledged request to the ack file as soon as
 * the acknowledgement arrives. Acknowledged: a 2xx for a create or a whole answer; for a stream,
 * its {@code data: [DONE]}. The server is killed and restarted meanwhile; failed requests are
 * counted and retried with new names. The base URL is re-read from a file, since the restarted
 * server may listen elsewhere.
 *
 * <p>Arguments: urlFile adminKey model ackFile threads seconds.
 */
public final class CrashLoad {
  private CrashLoad() {}

  public static void main(String[] args) throws Exception {
    Path urlFile = Path.of(args[0]);
    String key = args[1];
    String model = args[2];
    int threads = Integer.parseInt(args[4]);
    long deadline = System.nanoTime() + Long.parseLong(args[5]) * 1_000_000_000L;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (PrintWriter ack = new PrintWriter(Files.newBufferedWriter(Path.of(args[3]), StandardCharsets.UTF_8), true)) {
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers[t] = new Thread(() -> {
          for (long i = 0; System.nanoTime() < deadline; i++) {
            try {
              String line = once(http, Files.readString(urlFile).trim(), key, model, thread, i);
              if (line != null) {
                synchronized (ack) {
                  ack.println(line);
                }
                acked.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            } catch (IOException | RuntimeException e) {
              failed.incrementAndGet();
              pause();
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        workers[t].start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
    }
    System.out.println("acknowledged=" + acked.get() + " failed=" + failed.get());
  }

  /** One request; its ack line, or null when it was not acknowledged. */
  private static String once(HttpClient http, String base, String key, String model, int thread, long i)
      throws IOException, InterruptedException {
    switch ((int) (i % 3)) {
      case 0 -> {
        String name = "crash_" + thread + "_" + i + "_" + System.nanoTime();
        var response = http.send(post(base + "/api/2.1/unity-catalog/catalogs", key, "{\"name\":\"" + name + "\"}"),
            HttpResponse.BodyHandlers.ofString());
        return response.statusCode() / 100 == 2 ? "catalog\t" + name + "\t" + requestId(response) : null;
      }
      case 1 -> {
        var response = http.send(post(base + "/v1/chat/completions", key, chat(model, false)),
            HttpResponse.BodyHandlers.ofString());
        return response.statusCode() / 100 == 2 ? "chat\t-\t" + requestId(response) : null;
      }
      default -> {
        var response = http.send(post(base + "/v1/chat/completions", key, chat(model, true)),
            HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body();
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
          boolean done = false;
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            done |= line.equals("data: [DONE]");
          }
          return response.statusCode() == 200 && done ? "stream\t-\t" + requestId(response) : null;
        }
      }
    }
  }

  private static HttpRequest post(String url, String key, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":30"
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say something about governance.\"}]}";
  }

  private static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("X-Request-Id").orElse("?");
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
