package dev.gatehouse.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The access checks of issue 4 as a real caller sees them: {@code GET /api/2.1/unity-catalog/tables/{name}}
 * against a running server, as random users (each with its own API key) asking for random tables that
 * they may or may not see (200; 404 as for a missing table; 403 where they see it but may not read it). Run by bench/access.sh after
 * {@link AccessBenchmark} has seeded the database and written the (key, table) pairs.
 *
 * <p>Each timed pair is requested twice: the first pass meets empty read caches for that pair (the
 * server caches a check's chain of grants per version of the catalog, so only a pair's first request
 * pays for the check), the second pass the same pairs again, served from the caches. One connection,
 * one request at a time: every figure is one request's latency, HTTP and authentication included.
 *
 * <p>Arguments: BASE_URL SAMPLE_FILE. Lines starting with {@code RESULT} are for bench/access.sh.
 */
public final class AccessHttpBench {
  private AccessHttpBench() {}

  private record Pair(boolean warmup, String key, String table) {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    List<Pair> pairs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String[] f = line.split("\t");
      pairs.add(new Pair(f[0].equals("warmup"), f[1], f[2]));
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    List<Pair> warmup = pairs.stream().filter(Pair::warmup).toList();
    List<Pair> timed = pairs.stream().filter(p -> !p.warmup()).toList();
    for (Pair p : warmup) {
      get(client, base, p);
    }
    report("GET /tables/{name}, random user x random table, first request of each pair (check not cached)",
        "GET table p50/p99, first request of a pair (check not cached)", client, base, timed);
    report("GET /tables/{name}, the same pairs again (check served from the read cache)",
        "GET table p50/p99, same pair again (check cached)", client, base, timed);
  }

  private static void report(String what, String figure, HttpClient client, String base, List<Pair> pairs)
      throws Exception {
    long[] times = new long[pairs.size()];
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < pairs.size(); i++) {
      long t = System.nanoTime();
      int status = get(client, base, pairs.get(i));
      times[i] = System.nanoTime() - t;
      statuses.merge(status, 1, Integer::sum);
    }
    Arrays.sort(times);
    double p50 = percentile(times, 0.50) / 1e6;
    double p95 = percentile(times, 0.95) / 1e6;
    double p99 = percentile(times, 0.99) / 1e6;
    System.out.printf("%s: n=%d p50=%.3f p95=%.3f p99=%.3f max=%.3f ms, statuses %s%n", what, times.length, p50,
        p95, p99, times[times.length - 1] / 1e6, statuses);
    if (statuses.keySet().stream().anyMatch(s -> s != 200 && s != 403 && s != 404)) {
      throw new IllegalStateException("statuses other than 200, 403 and 404: " + statuses);
    }
    System.out.printf("RESULT\t%s\t%.3f\tms%n", figure.replace("p50/p99", "p50"), p50);
    System.out.printf("RESULT\t%s\t%.3f\tms%n", figure.replace("p50/p99", "p99"), p99);
  }

  private static int get(HttpClient client, String base, Pair p) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/2.1/unity-catalog/tables/"
            + URLEncoder.encode(p.table(), StandardCharsets.UTF_8)))
        .header("Authorization", "Bearer " + p.key()).timeout(Duration.ofSeconds(30)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Nearest-rank percentile of a sorted array. */
  private static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
