package dev.gatehouse.bench;

import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.db.Migrations;
import dev.gatehouse.gateway.CallContext;
import dev.gatehouse.gateway.CallGuard;
import dev.gatehouse.gateway.Meter;
import dev.gatehouse.gateway.Target;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.models.ServingSpec;
import dev.gatehouse.ratelimit.BucketStore;
import dev.gatehouse.ratelimit.LocalBucketStore;
import dev.gatehouse.ratelimit.PostgresBucketStore;
import dev.gatehouse.ratelimit.RateLimitRules;
import dev.gatehouse.ratelimit.RateLimitService;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.ratelimit.RateLimitGuard;
import dev.gatehouse.testing.TestDatabases;
import dev.gatehouse.usage.UsageRecord;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;

/**
 * What rate limits add to one gateway call: the guard's admit and settle, timed alone, with no rule
 * covering the call and with three buckets (a principal's requests and tokens, a global request
 * limit), on the bucket store the server would use for {@code -Dgatehouse.test.db=h2|postgres}.
 * A main, not a test (tests never assert on timings); run it with {@code bench/rate-limits.sh}.
 */
public final class RateLimitBenchmark {
  private static final int CALLS = Integer.getInteger("bench.calls", 20_000);
  private static final int THREADS = Integer.getInteger("bench.threads", 8);

  private RateLimitBenchmark() {}

  public static void main(String[] args) throws Exception {
    DatabaseConfig db = TestDatabases.fresh();
    Migrations.migrate(db);
    Jdbi jdbi = TestDatabases.jdbi(db);
    Clock clock = Clock.systemUTC();
    BucketStore store = db.isPostgres()
        ? new PostgresBucketStore(db.toDataSourceFactory().build(new MetricRegistry(), "buckets"), clock)
        : new LocalBucketStore(clock);
    RateLimitRules rules = new RateLimitRules(jdbi, Duration.ofSeconds(1));
    RateLimitGuard guard = new RateLimitGuard(rules, store, 4096);
    Caller admin = new Caller("admin-id", "admin", PrincipalType.USER, "k0", Set.of("admins-id"), Set.of("admins"), true);
    Caller caller = new Caller("bench-id", "bench", PrincipalType.USER, "k1", Set.of(), Set.of(), false);
    Target target = new Target("ai.llm.bench", 1, "champion",
        new ServingSpec("conn", "m", "chat", null, null, null, null, null));
    System.out.printf("store: %s, %d calls, %d threads%n", store.getClass().getSimpleName(), CALLS, THREADS);
    measure("no rule covers the call", guard, caller, target);

    var service = new RateLimitService(jdbi, clock, new AccessControl(jdbi), rules);
    jdbi.useHandle(h -> h.attach(PrincipalDao.class).insert(new PrincipalRow("bench-id", PrincipalType.USER, "bench",
        "bench", null, null, null, true, 0, 0)));
    service.create(admin, "principal", "bench", false, List.of(
        new RateLimitService.LimitInput("requests", "minute", 1_000_000_000L),
        new RateLimitService.LimitInput("tokens", "minute", 60_000_000_000L)));
    service.create(admin, "global", null, false, List.of(new RateLimitService.LimitInput("requests", "day",
        1_000_000_000L)));
    measure("three buckets (principal requests + tokens, global requests)", guard, caller, target);
  }

  private static void measure(String label, CallGuard guard, Caller caller, Target target) throws Exception {
    run(guard, caller, target, CALLS / 4);
    var threads = ManagementFactory.getThreadMXBean();
    long cpuBefore = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    run(guard, caller, target, CALLS);
    long single = System.nanoTime() - start;
    long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    start = System.nanoTime();
    List<Future<?>> done = new java.util.ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      done.add(pool.submit(() -> run(guard, caller, target, CALLS / THREADS)));
    }
    for (Future<?> f : done) {
      f.get();
    }
    long parallel = System.nanoTime() - start;
    pool.shutdown();
    System.out.printf("%-62s one thread: %8.1f us/call (%7.1f us CPU)   %d threads: %8.1f us/call%n", label,
        single / 1000.0 / CALLS, cpu / 1000.0 / CALLS, THREADS, parallel / 1000.0 / (CALLS / THREADS * THREADS));
  }

  /** Admit then settle, as a call with a 20-token prompt, max_tokens 100 and 60 tokens used does. */
  private static Void run(CallGuard guard, Caller caller, Target target, int calls) {
    for (int i = 0; i < calls; i++) {
      CallContext call = new CallContext(caller, "r", "chat", "ai.llm.bench", false, false, 100L, new Meter(20),
          new HashMap<>(), new AtomicReference<>(), Map.of());
      CallGuard.Permit permit = guard.admit(call, List.of(target));
      permit.settle(new UsageRecord("u", "r", 0, caller.principalId(), caller.name(), caller.keyId(), "chat",
          "ai.llm.bench", 1L, "champion", "conn", "MOCK", "m", 20, 40, 0, 0, false, 1, 1L, 200, null, false,
          java.math.BigDecimal.ZERO, null, false, null, null));
    }
    return null;
  }
}
