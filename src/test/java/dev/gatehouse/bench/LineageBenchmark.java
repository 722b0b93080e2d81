package dev.gatehouse.bench;

import ch.qos.logback.classic.Level;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.db.Migrations;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.lineage.LineageGraphDao;
import dev.gatehouse.lineage.LineageGraphService;
import dev.gatehouse.lineage.LineageGraphService.Graph;
import dev.gatehouse.testing.TestDatabases;
import io.dropwizard.logging.common.BootstrapLogging;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The lineage benchmark of issue 6: upstream and downstream graph queries at depth 10 over 200,000
 * nodes and 1,000,000 edges ({@link LineageGraphSeeder}), on the database chosen by
 * {@code -Dgatehouse.test.db=h2|postgres} (H2 as a file, as the server runs it). A main, not a test;
 * run it with {@code bench/lineage.sh}. It times {@link LineageGraphService#graph} itself (the
 * recursive query, the start lookup and access check, masking and assembly) on a Jdbi built as the
 * server builds it; HTTP and JSON are left out. One thread: each figure is one call's latency.
 */
public final class LineageBenchmark {
  private static final int WARMUP = Integer.getInteger("bench.warmup", 300);
  private static final int QUERIES = Integer.getInteger("bench.queries", 500);
  private static final int DEPTH = 10;

  private final LineageGraphSeeder data;
  private final LineageGraphService graphs;
  private final Random random;
  private final CpuMeter meter;
  private final Caller admin = new Caller("admin-id", "admin", PrincipalType.USER, "k", Set.of(), Set.of("admins"), true);
  private final Caller user;

  private LineageBenchmark(LineageGraphSeeder data, Jdbi jdbi, long seed) {
    this.data = data;
    this.graphs = new LineageGraphService(jdbi, new AccessControl(jdbi));
    this.random = new Random(seed + 1);
    this.user = new Caller(data.benchUserId, "bench_user", PrincipalType.USER, "k", Set.of(), Set.of(), false);
    this.meter = new CpuMeter(TestDatabases.postgres()
        ? CpuMeter.parentOf(jdbi.withHandle(h -> h.createQuery("SELECT pg_backend_pid()").mapTo(Long.class).one()))
        : 0);
  }

  public static void main(String[] args) throws Exception {
    BootstrapLogging.bootstrap(Level.WARN);
    long seed = Long.getLong("bench.seed", 42L);
    LineageGraphSeeder.Shape shape = LineageGraphSeeder.Shape.fromSystemProperties();
    DatabaseConfig db = TestDatabases.durable();
    Migrations.migrate(db);
    long start = System.nanoTime();
    LineageGraphSeeder data = LineageGraphSeeder.seed(db, shape, seed);
    System.out.printf("database: %s (%s)%n", TestDatabases.postgres() ? "postgres" : "h2", db.getUrl());
    System.out.printf("graph: %d pipelines x %d layers x %d tables, fan-in %d: %d nodes, %d edges%n",
        shape.pipelines(), shape.layers(), shape.width(), shape.fanIn(), shape.nodes(), shape.edges());
    System.out.printf("seeded in %.1f s%n", (System.nanoTime() - start) / 1e9);

    ServerJdbi.run(db, "lineage-bench", jdbi -> {
      if (Boolean.getBoolean("bench.explain")) {
        explain(jdbi, data);
      }
      new LineageBenchmark(data, jdbi, seed).run();
    });
    System.exit(0); // the embedded PostgreSQL stops in a shutdown hook
  }

  private void run() {
    System.out.printf("load average before: %s%n", AccessBenchmark.loadAverage());
    for (int i = 0; i < WARMUP; i++) {
      query(admin, i % 2 == 0 ? "upstream" : "downstream", randomNode(false));
      query(user, i % 2 == 0 ? "upstream" : "downstream", randomNode(true));
    }
    measure("upstream, depth 10, admin", admin, "upstream", false);
    measure("downstream, depth 10, admin", admin, "downstream", false);
    measure("upstream, depth 10, user seeing 1 catalog of 10 (masking)", user, "upstream", true);
    measure("downstream, depth 10, user seeing 1 catalog of 10 (masking)", user, "downstream", true);
    System.out.printf("load average after: %s%n", AccessBenchmark.loadAverage());
  }

  private void measure(String what, Caller caller, String direction, boolean visibleStart) {
    long[] times = new long[QUERIES];
    long nodes = 0;
    long edges = 0;
    long masked = 0;
    int truncated = 0;
    meter.start();
    for (int i = 0; i < QUERIES; i++) {
      int node = randomNode(visibleStart);
      long t = System.nanoTime();
      Graph g = query(caller, direction, node);
      times[i] = System.nanoTime() - t;
      nodes += g.nodes().size();
      edges += g.edges().size();
      masked += g.nodes().stream().filter(LineageGraphService.GraphNode::masked).count();
      truncated += g.truncated() ? 1 : 0;
    }
    long[] cpu = meter.stop();
    Arrays.sort(times);
    System.out.printf("%s: n=%d p50=%.1f p95=%.1f p99=%.1f max=%.1f ms%n", what, QUERIES, ms(times, 0.50),
        ms(times, 0.95), ms(times, 0.99), times[times.length - 1] / 1e6);
    System.out.printf("  mean per query: %.0f nodes (%.0f masked), %.0f edges, %d of %d truncated;"
            + " CPU %.1f ms in this thread + %.1f ms in the database server%n",
        nodes / (double) QUERIES, masked / (double) QUERIES, edges / (double) QUERIES, truncated, QUERIES,
        cpu[0] / 1e6 / QUERIES, cpu[1] / 1e6 / QUERIES);
  }

  private Graph query(Caller caller, String direction, int node) {
    return graphs.graph(caller, "table", data.fullName(node), direction, DEPTH, null, null);
  }

  /** A random table; for the user, one of the catalog it may read. */
  private int randomNode(boolean inFirstCatalog) {
    int pipelines = inFirstCatalog ? Math.min(LineageGraphSeeder.SCHEMAS_PER_CATALOG, data.shape.pipelines())
        : data.shape.pipelines();
    return random.nextInt(pipelines * data.shape.perPipeline());
  }

  /** The executed plan of one upstream walk, read from LineageGraphDao's annotation (the code under test). */
  private static void explain(Jdbi jdbi, LineageGraphSeeder data) {
    String sql;
    try {
      sql = LineageGraphDao.class.getMethod("walk", long.class, int.class, int.class, int.class)
          .getAnnotation(SqlQuery.class).value();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    String prefix = TestDatabases.postgres() ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ";
    long start = data.shape.perPipeline() * 3L + 15L * data.shape.width() + 7 + 1;
    jdbi.useHandle(h -> {
      System.out.println("--- plan: upstream walk, depth 10, from node " + start);
      h.createQuery(prefix + sql).bind("start", start).bind("up", DEPTH).bind("down", 0)
          .bind("limit", LineageGraphService.walkRows(LineageGraphService.DEFAULT_MAX_NODES)).mapTo(String.class).forEach(System.out::println);
    });
  }

  private static double ms(long[] sorted, double p) {
    return AccessBenchmark.percentile(sorted, p) / 1e6;
  }
}
