package dev.gatehouse.bench;

import ch.qos.logback.classic.Level;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.db.Migrations;
import dev.gatehouse.common.Ids;
import dev.gatehouse.identity.ApiKeyDao;
import dev.gatehouse.identity.ApiKeyRow;
import dev.gatehouse.identity.ApiKeySecrets;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import dev.gatehouse.testing.TestDatabases;
import io.dropwizard.logging.common.BootstrapLogging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The access-control benchmark of issue 4: permission-check latency and visible-only listing over a
 * million grants, on the database chosen by {@code -Dgatehouse.test.db=h2|postgres}. A main, not a
 * test (tests never assert on timings); run it with {@code bench/access.sh}.
 *
 * <p>It measures {@link AccessControl} itself, on a Jdbi built as the server builds it (Dropwizard's
 * {@link JdbiFactory} over the pooled DataSource of {@code DatabaseConfig#toDataSourceFactory}), with
 * callers resolved as {@code ApiKeyAuthenticator} resolves them. HTTP, JSON and key lookup are left
 * out: the key lookup is cached per key by the server, and the rest is not access control.
 * One thread, so every figure is the latency of one call, not of a contended pool.
 *
 * <p>These checks bypass the server's read caches ({@code ReadCaches}: they live only inside a running
 * server), so they are the uncached figures. With {@code -Dbench.url=JDBC_URL} (and
 * {@code -Dbench.user}) the data set goes into that database instead of a {@link TestDatabases} one,
 * and with {@code -Dbench.httpSample=FILE} it also gives 100 random users an API key each and writes
 * random (key, table) pairs to FILE, so that {@link AccessHttpBench} can time the same kind of check
 * through a real server over the same database, read caches included. Lines starting with
 * {@code RESULT} are for bench/access.sh: tab-separated figure, value, unit.
 */
public final class AccessBenchmark {
  private static final int WARMUP_CHECKS = 5_000;
  private static final int CHECKS = Integer.getInteger("bench.checks", 20_000);
  private static final int READS = 5_000;
  private static final int LISTINGS = Integer.getInteger("bench.listings", 20);
  private static final int PAGE_SIZE = PageRequest.MAX_PAGE_SIZE;

  private final AccessDataSet data;
  private final Jdbi jdbi;
  private final AccessControl access;
  private final Random random;
  private final Map<String, Caller> callers = new HashMap<>();
  private final Map<String, SecurableRow> rows = new HashMap<>();
  private final CpuMeter meter;

  private AccessBenchmark(AccessDataSet data, Jdbi jdbi, long seed) {
    this.data = data;
    this.jdbi = jdbi;
    this.access = new AccessControl(jdbi);
    this.random = new Random(seed + 1);
    this.meter = new CpuMeter(TestDatabases.postgres()
        ? CpuMeter.parentOf(jdbi.withHandle(h -> h.createQuery("SELECT pg_backend_pid()").mapTo(Long.class).one()))
        : 0);
  }

  public static void main(String[] args) throws Exception {
    BootstrapLogging.bootstrap(Level.WARN);
    long seed = Long.getLong("bench.seed", 42L);
    AccessDataSet.Sizes sizes = AccessDataSet.Sizes.fromSystemProperties();

    DatabaseConfig db = database();
    String kind = db.isPostgres() ? "postgres" : "h2";
    Migrations.migrate(db);
    long start = System.nanoTime();
    AccessDataSet data = AccessDataSet.seed(db, sizes, seed);
    System.out.printf("database: %s%n", kind);
    System.out.printf("seeded in %.1f s%n", (System.nanoTime() - start) / 1e9);

    ServerJdbi.run(db, "access-bench", jdbi -> {
      AccessBenchmark bench = new AccessBenchmark(data, jdbi, seed);
      bench.run();
      String sample = System.getProperty("bench.httpSample");
      if (sample != null) {
        try {
          bench.writeHttpSample(java.nio.file.Path.of(sample));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    System.exit(0); // the embedded PostgreSQL stops in a shutdown hook
  }

  /**
   * The database of {@code -Dbench.url} (a durable one a server can open afterwards), or a fresh
   * {@link TestDatabases} one. QueryPlans asks TestDatabases which dialect it explains: told here.
   */
  private static DatabaseConfig database() {
    String url = System.getProperty("bench.url");
    if (url == null) {
      return TestDatabases.fresh();
    }
    DatabaseConfig db = new DatabaseConfig();
    db.setUrl(url);
    db.setUser(System.getProperty("bench.user", "gatehouse"));
    db.setPassword(System.getProperty("bench.password", ""));
    System.setProperty("gatehouse.test.db", db.isPostgres() ? "postgres" : "h2");
    return db;
  }

  /**
   * For {@link AccessHttpBench}: an API key for each of {@code HTTP_USERS} random users (stored as the
   * server stores keys: prefix and hash), and lines {@code warmup|timed <TAB> key <TAB> table full name}
   * of random user x random table, as the in-process checks above. Written after the timings.
   */
  private void writeHttpSample(java.nio.file.Path file) throws java.io.IOException {
    int users = Integer.getInteger("bench.httpUsers", 100);
    int warmups = Integer.getInteger("bench.httpWarmup", 1_000);
    int timed = Integer.getInteger("bench.httpChecks", 2_000);
    List<String> keys = new ArrayList<>();
    long now = System.currentTimeMillis();
    jdbi.useTransaction(h -> {
      ApiKeyDao dao = h.attach(ApiKeyDao.class);
      for (int i = 0; i < users; i++) {
        String userId = data.userIds[random.nextInt(data.userIds.length)];
        String key = ApiKeySecrets.newKey();
        dao.insert(new ApiKeyRow(Ids.newId(), userId, "access-bench", ApiKeySecrets.prefix(key),
            ApiKeySecrets.hash(key), now, "access-bench", null, null, null));
        keys.add(key);
      }
    });
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < warmups + timed; i++) {
      String table = row(data.tableIds.get(random.nextInt(data.tableIds.size()))).fullName();
      lines.add((i < warmups ? "warmup" : "timed") + "\t" + keys.get(random.nextInt(keys.size())) + "\t" + table);
    }
    java.nio.file.Files.write(file, lines);
    System.out.printf("HTTP sample: %d keys, %d warm-up and %d timed (key, table) pairs in %s%n",
        users, warmups, timed, file);
  }

  private void run() {
    describeDataSet();
    System.out.printf("load average before: %s%n", loadAverage());
    List<Check> warmup = randomChecks(WARMUP_CHECKS);
    List<Check> checks = randomChecks(CHECKS);
    List<Check> reads = randomChecks(READS);
    List<Check> halfChecks = halfUserChecks(CHECKS);
    Caller half = caller(data.halfUserId());
    SecurableRow schema = row(data.halfSchemaId);

    if (Boolean.getBoolean("bench.explain")) {
      explain(checks.get(0), half, schema);
    }

    for (Check c : warmup) {
      access.allows(c.caller(), c.row(), Privilege.SELECT);
      read(c);
    }
    for (int i = 0; i < Math.min(3, LISTINGS); i++) {
      listAll(half, schema, null);
    }

    long[] times = new long[checks.size()];
    int allowed = 0;
    meter.start();
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      long t = System.nanoTime();
      boolean ok = access.allows(c.caller(), c.row(), Privilege.SELECT);
      times[i] = System.nanoTime() - t;
      allowed += ok ? 1 : 0;
    }
    double[] p = report("allows(SELECT), random user x random table", times, 1e3, "us", meter.stop());
    result("check p50, random user x random table (in-process, uncached)", p[0] / 1e3, "ms");
    result("check p99, random user x random table (in-process, uncached)", p[2] / 1e3, "ms");
    System.out.printf("  allowed %d of %d%n", allowed, checks.size());

    times = new long[reads.size()];
    Map<String, Integer> outcomes = new HashMap<>();
    meter.start();
    for (int i = 0; i < reads.size(); i++) {
      long t = System.nanoTime();
      String outcome = read(reads.get(i));
      times[i] = System.nanoTime() - t;
      outcomes.merge(outcome, 1, Integer::sum);
    }
    p = report("requireRead, random user x random table", times, 1e3, "us", meter.stop());
    result("requireRead p99, random user x random table (in-process, uncached)", p[2] / 1e3, "ms");
    System.out.printf("  outcomes %s%n", outcomes);

    times = new long[halfChecks.size()];
    meter.start();
    for (int i = 0; i < halfChecks.size(); i++) {
      Check c = halfChecks.get(i);
      long t = System.nanoTime();
      boolean ok = access.allows(c.caller(), c.row(), Privilege.SELECT);
      times[i] = System.nanoTime() - t;
      if (ok != c.expected()) {
        throw new IllegalStateException("wrong decision for the half user on " + c.row().fullName());
      }
    }
    p = report("allows(SELECT), half user x its schema (half allowed, all verified)", times, 1e3, "us",
        meter.stop());
    result("check p99, half user x its schema (in-process, uncached)", p[2] / 1e3, "ms");

    double worst = reportListing("listing page of " + PAGE_SIZE + " of the " + data.halfTableIds.size()
        + " tables, half visible, half user", half, schema);
    result("listing page p95, worst page, " + data.halfTableIds.size() + " tables, user sees half", worst, "ms");
    worst = reportListing("listing page, the schema's owner (sees all: no per-row filter)", caller(schema.owner()),
        schema);
    result("listing page p95, worst page, " + data.halfTableIds.size() + " tables, owner sees all", worst, "ms");
    System.out.printf("load average after: %s%n", loadAverage());
  }

  /** The plans of one random check and of the first and last listing page, before any timing. */
  private void explain(Check check, Caller half, SecurableRow schema) {
    QueryPlans plans = new QueryPlans(jdbi);
    plans.checkOf(check.caller(), check.row().id());
    plans.listingOf(half, schema.id(), null, PAGE_SIZE + 1);
    String lastPage = String.format("t%05d", data.halfTableIds.size() - 2 * PAGE_SIZE - 2);
    plans.listingOf(half, schema.id(), lastPage, PAGE_SIZE + 1);
  }

  /**
   * Lists the schema LISTINGS times; reports all pages together and each page number alone, and
   * returns the highest p95 of any page number, in ms.
   */
  private double reportListing(String what, Caller caller, SecurableRow schema) {
    List<List<Long>> byPage = new ArrayList<>();
    meter.start();
    for (int i = 0; i < LISTINGS; i++) {
      listAll(caller, schema, byPage);
    }
    long[] cpu = meter.stop();
    report(what + ", " + LISTINGS + " listings",
        byPage.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray(), 1e6, "ms", cpu);
    double worst = 0;
    for (int p = 0; p < byPage.size(); p++) {
      double[] q = report("  page " + (p + 1), byPage.get(p).stream().mapToLong(Long::longValue).toArray(), 1e6,
          "ms", null);
      worst = Math.max(worst, q[1]);
    }
    return worst;
  }

  /** One check to make: a caller, a table, and (where known) the right answer. */
  private record Check(Caller caller, SecurableRow row, boolean expected) {}

  private List<Check> randomChecks(int n) {
    List<Check> checks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String user = data.userIds[random.nextInt(data.userIds.length)];
      String table = data.tableIds.get(random.nextInt(data.tableIds.size()));
      checks.add(new Check(caller(user), row(table), false));
    }
    return checks;
  }

  private List<Check> halfUserChecks(int n) {
    Caller half = caller(data.halfUserId());
    List<Check> checks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = random.nextInt(data.halfTableIds.size());
      checks.add(new Check(half, row(data.halfTableIds.get(t)), t % 2 == 0));
    }
    return checks;
  }

  private String read(Check c) {
    try {
      access.requireRead(c.caller(), c.row());
      return "ok";
    } catch (GatehouseException e) {
      return e.code().name();
    }
  }

  /**
   * Lists the whole schema page by page, timing each page into {@code times} (when not null), and
   * checks what the issue demands: full pages, no empty last page, exactly the visible tables in order.
   */
  private void listAll(Caller caller, SecurableRow schema, List<List<Long>> times) {
    boolean seesAll = caller.name().equals(schema.owner());
    int expectedTotal = seesAll ? data.halfTableIds.size() : (data.halfTableIds.size() + 1) / 2;
    String token = null;
    String last = "";
    int total = 0;
    int pages = 0;
    do {
      defeatResultCache();
      long t = System.nanoTime();
      Page<SecurableRow> page = access.listChildren(caller, schema, SecurableType.TABLE,
          PageRequest.of(PAGE_SIZE, token));
      long elapsed = System.nanoTime() - t;
      if (times != null) {
        while (times.size() <= pages) {
          times.add(new ArrayList<>());
        }
        times.get(pages).add(elapsed);
      }
      pages++;
      token = page.nextPageToken();
      if (page.items().isEmpty() || (token != null && page.items().size() != PAGE_SIZE)) {
        throw new IllegalStateException("page of " + page.items().size() + " rows with next token " + token);
      }
      for (SecurableRow r : page.items()) {
        boolean even = Integer.parseInt(r.name().substring(1)) % 2 == 0;
        if (r.name().compareTo(last) <= 0 || (!seesAll && !even)) {
          throw new IllegalStateException("listing returned " + r.name() + " after " + last);
        }
        last = r.name();
      }
      total += page.items().size();
    } while (token != null);
    if (total != expectedTotal) {
      throw new IllegalStateException("listing returned " + total + " tables, expected " + expectedTotal);
    }
  }

  /**
   * H2 hands back the previous result of a statement run again with the same parameters on the same
   * connection while its tables are unchanged, and a listing repeats the same pages. An unrelated
   * write to the table before every page makes each page cost what a page of a live catalog costs
   * (PostgreSQL has no such cache; the write costs it nothing measured either way: it is not timed).
   */
  private void defeatResultCache() {
    jdbi.useHandle(h -> h.execute("UPDATE securables SET updated_at = updated_at + 1"
        + " WHERE securable_type = 'CATALOG' AND full_name = 'cat0'"));
  }

  /** The caller as the server builds it for a key of this principal ({@code ApiKeyAuthenticator#load}). */
  private Caller caller(String principalIdOrName) {
    return callers.computeIfAbsent(principalIdOrName, key -> jdbi.withHandle(h -> {
      PrincipalDao principals = h.attach(PrincipalDao.class);
      PrincipalRow p = principals.findById(key).or(() -> principals.findByNameKey(PrincipalDao.key(key)))
          .orElseThrow();
      var groups = principals.transitiveGroups(p.id());
      Set<String> groupIds = groups.stream().map(PrincipalRow::id).collect(Collectors.toUnmodifiableSet());
      Set<String> groupNames = groups.stream().map(PrincipalRow::name).collect(Collectors.toUnmodifiableSet());
      return new Caller(p.id(), p.name(), p.principalType(), "bench-key", groupIds, groupNames,
          groupNames.contains(Caller.ADMINS_GROUP));
    }));
  }

  private SecurableRow row(String id) {
    return rows.computeIfAbsent(id, key -> jdbi.withHandle(h -> h.attach(SecurableDao.class).findById(key))
        .orElseThrow());
  }

  private void describeDataSet() {
    jdbi.useHandle(h -> {
      System.out.printf("server: %s%n", version(h));
      System.out.printf("securables: %d (%d tables), principals: %d users + %d groups, memberships: %d,"
              + " grants: %d%n",
          count(h, "SELECT count(*) FROM securables WHERE securable_type <> 'METASTORE'"),
          count(h, "SELECT count(*) FROM securables WHERE securable_type = 'TABLE'"),
          count(h, "SELECT count(*) FROM principals WHERE principal_type = 'USER'"),
          count(h, "SELECT count(*) FROM principals WHERE principal_type = 'GROUP'"),
          count(h, "SELECT count(*) FROM group_members"),
          count(h, "SELECT count(*) FROM grants"));
    });
    Caller half = caller(data.halfUserId());
    System.out.printf("half user %s: %d groups (transitive), listing schema bench.half of %d tables%n",
        half.name(), half.groupIds().size(), data.halfTableIds.size());
  }

  /** The machine is shared while benchmarks run; the load says how far to trust the tail figures. */
  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static long count(Handle h, String sql) {
    return h.createQuery(sql).mapTo(Long.class).one();
  }

  private static String version(Handle h) {
    return TestDatabases.postgres()
        ? h.createQuery("SELECT version()").mapTo(String.class).one()
        : "H2 " + h.createQuery("SELECT H2VERSION()").mapTo(String.class).one();
  }

  /** A line for bench/access.sh: figure, value, unit, tab-separated. */
  private static void result(String figure, double value, String unit) {
    System.out.printf("RESULT\t%s\t%.3f\t%s%n", figure, value, unit);
  }

  /**
   * Wall-clock percentiles and, when measured, the mean CPU per operation (benchmark thread, server);
   * returns p50, p95, p99 and max in {@code unitName}.
   */
  private static double[] report(String what, long[] nanos, double unit, String unitName, long[] cpu) {
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    System.out.printf("%s: n=%d p50=%.3f p95=%.3f p99=%.3f max=%.3f %s%n", what, sorted.length,
        percentile(sorted, 0.50) / unit, percentile(sorted, 0.95) / unit, percentile(sorted, 0.99) / unit,
        sorted[sorted.length - 1] / unit, unitName);
    if (cpu != null) {
      System.out.printf("  mean CPU per operation: %.3f %s in this thread + %.3f %s in the database server%n",
          cpu[0] / unit / sorted.length, unitName, cpu[1] / unit / sorted.length, unitName);
    }
    return new double[] {percentile(sorted, 0.50) / unit, percentile(sorted, 0.95) / unit,
        percentile(sorted, 0.99) / unit, sorted[sorted.length - 1] / unit};
  }

  /** Nearest-rank percentile of a sorted array. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
