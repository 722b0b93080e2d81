package dev.gatehouse.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.audit.AuditDao;
import dev.gatehouse.audit.AuditFilter;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.AuditService;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.db.Migrations;
import dev.gatehouse.testing.TestDatabases;
import io.dropwizard.db.ManagedDataSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Filtered audit queries over a large history: seeds N events (1,000,000 by default) with
 * {@link AuditSeeder}, then times {@link AuditLog#page} (what GET /audit/events runs: newest first,
 * max_results 100, so 101 rows fetched) for each kind of filter, through a connection pool as in the
 * server. Parameters are drawn at random per run, so each figure covers heavy and rare actors,
 * recent and old time windows alike.
 *
 * <p>Run by bench/audit-query.sh. Arguments: {@code --events N --runs N --warmup N --url JDBC_URL
 * --explain --hold FILE}. Without --url the database comes from {@link TestDatabases} (H2 in memory,
 * or embedded PostgreSQL with -Dgatehouse.test.db=postgres). With --hold the database stays up
 * (the embedded PostgreSQL lives in this JVM) until FILE is deleted, so that a real server can be
 * pointed at it.
 */
public final class AuditQueryBench {
  private static final int PAGE = 100;

  private AuditQueryBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    // No logback configuration on the test classpath: without this, every pool and driver debug line prints.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int events = Integer.parseInt(opts.getOrDefault("events", "1000000"));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "60"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "15"));
    DatabaseConfig db = database(opts.get("url"));
    boolean postgres = db.isPostgres();
    System.out.printf("database: %s%nevents: %,d%n", postgres ? "postgresql" : "h2", events);

    Migrations.migrate(db);
    long now = System.currentTimeMillis();
    AuditSeeder seeder = new AuditSeeder(1000, 40, 10, 100, now - AuditSeeder.DAYS * AuditSeeder.DAY);
    long began = System.nanoTime();
    try (Connection c = connect(db)) {
      seeder.seed(c, events, 20_251_127L);
      try (Statement s = c.createStatement()) {
        // Statistics as autovacuum (PostgreSQL) or H2's automatic analysis would have them in service.
        s.execute(postgres ? "VACUUM ANALYZE audit_events" : "ANALYZE TABLE audit_events");
      }
    }
    System.out.printf("seeded and analyzed in %.1f s%n", (System.nanoTime() - began) / 1e9);

    ManagedDataSource pool = db.toDataSourceFactory().build(new MetricRegistry(), "bench");
    pool.start();
    Jdbi jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
    AuditLog log = new AuditLog(jdbi, Clock.systemUTC(), new ObjectMapper(), true, TestDatabases.linking());

    SplittableRandom rng = new SplittableRandom(7);
    List<String> actors = AuditSeeder.names(seeder.actorCount, seeder::actor);
    List<String> catalogs = AuditSeeder.names(seeder.catalogCount, seeder::catalog);
    List<AuditSeeder.Action> actions = AuditSeeder.ACTIONS;
    List<String> services = AuditSeeder.SERVICES;
    Map<String, Function<SplittableRandom, AuditFilter>> kinds = new LinkedHashMap<>();
    kinds.put("no filter", r -> filter(null, null, null, null, null, null, null));
    kinds.put("actor", r -> filter(pick(actors, r), null, null, null, null, null, null));
    kinds.put("action", r -> filter(null, pick(actions, r).name(), null, null, null, null, null));
    kinds.put("service+status=4xx", r -> filter(null, null, pick(services, r), null, "4xx", null, null));
    kinds.put("full_name_prefix (catalog)", r -> filter(null, null, null, pick(catalogs, r) + ".", null, null, null));
    kinds.put("full_name_prefix (schema)", r -> filter(null, null, null,
        seeder.schema(r.nextInt(seeder.catalogCount), r.nextInt(seeder.schemasPerCatalog)) + ".", null, null, null));
    kinds.put("time range (1 day)", r -> {
      long from = seeder.startTime + r.nextLong(AuditSeeder.DAYS - 1) * AuditSeeder.DAY + r.nextLong(AuditSeeder.DAY);
      return filter(null, null, null, null, null, from, from + AuditSeeder.DAY);
    });
    kinds.put("actor+action+30 days", r -> {
      long from = seeder.startTime + r.nextLong(AuditSeeder.DAYS - 30) * AuditSeeder.DAY;
      return filter(pick(actors, r), pick(actions, r).name(), null, null, null, from, from + 30 * AuditSeeder.DAY);
    });
    kinds.put("service+status+7 days", r -> {
      long from = seeder.startTime + r.nextLong(AuditSeeder.DAYS - 7) * AuditSeeder.DAY;
      return filter(null, null, pick(services, r), null, "failure", from, from + 7 * AuditSeeder.DAY);
    });

    System.out.printf("%nAuditLog.page(filter, first page, %d rows + 1): %d warm-up runs, then %d timed runs each%n",
        PAGE, warmup, runs);
    // Thread CPU time beside wall time: on a shared machine wall time includes waiting for a CPU. On H2
    // the query runs in this thread, so its CPU time is the work done; on PostgreSQL the server does the
    // work in its own process and this is the client's share only.
    System.out.printf("%-28s %8s %8s %8s %9s %12s %12s%n", "filter", "p50 ms", "p95 ms", "max ms", "avg rows",
        "cpu p50 ms", "cpu p95 ms");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.gc(); // the seeding's garbage is not the queries' to pay for
    for (var kind : kinds.entrySet()) {
      for (int i = 0; i < warmup; i++) {
        log.page(kind.getValue().apply(rng), null, PAGE + 1);
      }
      double[] ms = new double[runs];
      double[] cpu = new double[runs];
      long rows = 0;
      for (int i = 0; i < runs; i++) {
        AuditFilter f = kind.getValue().apply(rng);
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        rows += log.page(f, null, PAGE + 1).size();
        ms[i] = (System.nanoTime() - t0) / 1e6;
        cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
      }
      Arrays.sort(ms);
      Arrays.sort(cpu);
      System.out.printf("%-28s %8.1f %8.1f %8.1f %9.1f %12.1f %12.1f%n", kind.getKey(), percentile(ms, 50),
          percentile(ms, 95), ms[ms.length - 1], rows / (double) runs, percentile(cpu, 50), percentile(cpu, 95));
    }
    if (opts.containsKey("explain")) {
      Explain.print(jdbi, postgres, kinds, new SplittableRandom(11), PAGE + 1);
    }
    pool.stop();

    if (opts.containsKey("hold")) {
      Path hold = Path.of(opts.get("hold"));
      System.out.printf("HOLD %s %s%n", db.getUrl(), db.getUser());
      System.out.flush();
      while (Files.exists(hold)) {
        Thread.sleep(500);
      }
    }
    System.exit(0);
  }

  static AuditFilter filter(String actor, String action, String service, String prefix, String status, Long from,
      Long to) {
    return AuditService.filter(actor, action, service, null, prefix, status, from, to);
  }

  private static <T> T pick(List<T> values, SplittableRandom r) {
    return values.get(r.nextInt(values.size()));
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static DatabaseConfig database(String url) {
    if (url == null) {
      return TestDatabases.fresh();
    }
    DatabaseConfig db = new DatabaseConfig();
    db.setUrl(url);
    db.setUser(System.getProperty("gatehouse.bench.db.user", url.startsWith("jdbc:h2:") ? "gatehouse" : "postgres"));
    db.setPassword("");
    return db;
  }

  /** Seeding only: PostgreSQL's driver turns a batch into multi-row INSERTs when asked. */
  private static Connection connect(DatabaseConfig db) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", db.getUser());
    props.setProperty("password", db.getPassword());
    if (db.isPostgres()) {
      props.setProperty("reWriteBatchedInserts", "true");
    }
    return DriverManager.getConnection(db.effectiveUrl(), props);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
      out.put(name, flag ? "" : args[++i]);
    }
    return out;
  }

  /**
   * Shows how the database runs one sample of each filter (EXPLAIN ANALYZE): every statement the DAO
   * runs for it, with the values the DAO bound.
   */
  static final class Explain {
    private Explain() {}

    static void print(Jdbi jdbi, boolean postgres, Map<String, Function<SplittableRandom, AuditFilter>> kinds,
        SplittableRandom rng, int limit) {
      jdbi.useHandle(h -> {
        for (var kind : kinds.entrySet()) {
          AuditFilter f = kind.getValue().apply(rng);
          List<String> plans = new ArrayList<>();
          h.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
              plans.add(explain(context, postgres));
            }
          });
          h.attach(AuditDao.class).page(f, null, limit);
          h.setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
          System.out.printf("%n--- %s: %s%n%s%n", kind.getKey(), f, String.join("\n\n", plans));
        }
      });
    }

    /** EXPLAIN ANALYZE of the statement just run, through JDBC with its own bound arguments. */
    private static String explain(StatementContext context, boolean postgres) {
      ParsedSql parsed = context.getParsedSql();
      try (PreparedStatement explain = context.getConnection().prepareStatement(
          (postgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ") + parsed.getSql())) {
        int position = 1;
        for (String name : parsed.getParameters().getParameterNames()) {
          context.getBinding().findForName(name, context).orElseThrow().apply(position++, explain, context);
        }
        List<String> lines = new ArrayList<>();
        try (ResultSet plan = explain.executeQuery()) {
          while (plan.next()) {
            lines.add(plan.getString(1));
          }
        }
        // H2 prints the column list one per line; the plan is in the rest.
        return Arrays.stream(String.join("\n", lines).split("\n"))
            .filter(line -> !line.matches("\\s+\"[a-z_]+\",?"))
            .collect(java.util.stream.Collectors.joining("\n"));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
