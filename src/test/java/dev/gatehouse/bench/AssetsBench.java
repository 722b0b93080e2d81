package dev.gatehouse.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog-assets benchmark's timing half (run by bench/catalog-assets.sh against a running
 * server over what {@link AssetsSeeder} made): lists the 10,000 tables of big.s page by page
 * (1,000 a page) and searches the 100,000 securables, over HTTP, one request at a time; the time
 * of a request is from sending it to having read the whole answer. Not a test.
 * Arguments: base URL, admin key.
 */
public final class AssetsBench {
  private static final Pattern TOKEN = Pattern.compile("\"next_page_token\":\"([^\"]+)\"");
  private static final Pattern TABLE_ID = Pattern.compile("\"table_id\":");

  private final String base;
  private final String key;
  private final HttpClient http = HttpClient.newHttpClient();

  AssetsBench(String base, String key) {
    this.base = base;
    this.key = key;
  }

  public static void main(String[] args) throws Exception {
    AssetsBench bench = new AssetsBench(args[0], args[1]);
    bench.listing();
    bench.search();
  }

  /** Lists big.s page by page, 1,000 a page: 3 passes of warm-up, then 20 timed passes. */
  void listing() throws Exception {
    List<Double> pages = new ArrayList<>();
    List<Double> passes = new ArrayList<>();
    for (int pass = 0; pass < 23; pass++) {
      List<Double> sink = pass < 3 ? new ArrayList<>() : pages;
      String token = null;
      int tables = 0;
      long start = System.nanoTime();
      do {
        String body = get("/api/2.1/unity-catalog/tables?catalog_name=big&schema_name=s&max_results=1000"
            + (token == null ? "" : "&page_token=" + token), sink);
        for (Matcher ids = TABLE_ID.matcher(body); ids.find(); ) {
          tables++;
        }
        Matcher m = TOKEN.matcher(body);
        token = m.find() ? m.group(1) : null;
      } while (token != null);
      if (tables != AssetsSeeder.BIG_SCHEMA_TABLES) {
        throw new IllegalStateException("listed " + tables + " tables");
      }
      if (pass >= 3) {
        passes.add((System.nanoTime() - start) / 1e6);
      }
    }
    report("list one 1,000-table page", pages);
    report("list all 10,000 tables (10 pages)", passes);
  }

  /** Searches with a mix of queries (first page, 100 results): 10 warm-up, then 30 timed each. */
  void search() throws Exception {
    String[] queries = {"q=orders", "q=revenue_events", "q=rev", "q=s_1", "q=by%20region", "q=zzz_not_there",
        "q=orders&securable_type=volume", "tag=tier:gold", "q=orders&tag=tier:gold",
        "q=" + URLEncoder.encode(AssetsSeeder.name(4321), StandardCharsets.UTF_8)};
    List<Double> all = new ArrayList<>();
    for (String q : queries) {
      List<Double> times = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        get("/api/1.0/gatehouse/search?" + q, i < 10 ? null : times);
      }
      report("search `" + q + "`", times);
      all.addAll(times);
    }
    report("search, all queries above", all);
  }

  /** GETs {@code path}, checks the status and adds the time taken to {@code millis} (when not null). */
  String get(String path, List<Double> millis) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key).build();
    long start = System.nanoTime();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    double elapsed = (System.nanoTime() - start) / 1e6;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
    }
    if (millis != null) {
      millis.add(elapsed);
    }
    return response.body();
  }

  static void report(String what, List<Double> millis) {
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", what, sorted.length,
        percentile(sorted, 50), percentile(sorted, 95), sorted[sorted.length - 1]);
  }

  static double percentile(double[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }
}
