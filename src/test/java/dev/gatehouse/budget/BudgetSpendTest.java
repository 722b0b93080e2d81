package dev.gatehouse.budget;

import dev.gatehouse.db.BatchedWrites;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.gateway.CallContext;
import dev.gatehouse.gateway.CallGuard;
import dev.gatehouse.gateway.GatewayException;
import dev.gatehouse.gateway.Meter;
import dev.gatehouse.gateway.Target;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.models.ServingSpec;
import dev.gatehouse.pricing.PriceBook;
import dev.gatehouse.pricing.PriceFile;
import dev.gatehouse.quota.Scope;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestDatabases;
import dev.gatehouse.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The budget guard over a migrated database with a hand-moved clock: periods roll over at UTC
 * midnight, holds of crashed calls are swept, a settled call's cost replaces its hold.
 */
class BudgetSpendTest {
  private static final Caller ADMIN = new Caller("p-admin", "admin", PrincipalType.USER, null, Set.of(),
      Set.of(Caller.ADMINS_GROUP), true);
  /** mock-large is priced 1.00 / 2.00 per 1M in the shipped list. */
  private static final Target TARGET = new Target("ai.llm.m", 1, "champion",
      new ServingSpec("demo_mock", "mock-large", ServingSpec.CHAT, null, null, null, null, null));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T23:59:00Z").toEpochMilli());
  private Jdbi jdbi;
  private BudgetService budgets;
  private BatchedWrites writes;
  private BudgetSpend spend;
  private BudgetGuard guard;

  @AfterEach
  void stopWrites() throws InterruptedException {
    writes.stop();
  }

  @BeforeEach
  void setUp() {
    jdbi = TestDatabases.migrated();
    budgets = new BudgetService(jdbi, clock, caller -> true, Duration.ZERO);
    var alerts = new BudgetAlerts(new AuditLog(jdbi, clock, new ObjectMapper(), true), new ObjectMapper(), 1,
        Duration.ofMillis(10), Duration.ofSeconds(1));
    writes = new BatchedWrites(jdbi);
    writes.start();
    spend = new BudgetSpend(jdbi, writes, clock, alerts);
    var prices = new PriceBook(jdbi, clock, PriceFile.load(), connection -> Optional.of("mock"), Duration.ofSeconds(5));
    guard = new BudgetGuard(budgets, spend, prices, new BudgetConfig(), clock);
  }

  /** A call of a 6-token prompt asking for 100 completion tokens: it reserves (6*1.5+64)*1 + 100*2 = 273e-6 USD. */
  private CallContext call() {
    return new CallContext(ADMIN, "req", "chat", "ai.llm.m", false, false, 100L, new Meter(6), new HashMap<>(),
        new AtomicReference<>(), Map.of());
  }

  private BudgetService.View budget(String amount, Period period) {
    return budgets.create(ADMIN, Scope.parse("global", null, false),
        new BudgetService.Change(new BigDecimal(amount), period, true, List.of(50, 100), null));
  }

  private BudgetSpendDao.Spend held(BudgetService.View budget) {
    return jdbi.withHandle(h -> h.attach(BudgetSpendDao.class).periodTotal(budget.row().id(),
        budget.row().periodKind().start(clock.millis())));
  }

  @Test
  void aHoldBecomesTheActualCostWhenSettled() {
    var budget = budget("0.001", Period.DAY);
    CallGuard.Permit permit = guard.admit(call(), List.of(TARGET));
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.000273");
    permit.settle(record(new BigDecimal("0.000040")));
    assertThat(held(budget).reservedUsd()).isZero();
    assertThat(held(budget).spentUsd()).isEqualByComparingTo("0.00004");
  }

  @Test
  void aFullDayRefusesUntilMidnightUtc() {
    var budget = budget("0.0005", Period.DAY);
    CallGuard.Permit first = guard.admit(call(), List.of(TARGET));
    assertThatThrownBy(() -> guard.admit(call(), List.of(TARGET)))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(429));
    first.settle(record(new BigDecimal("0.0004")));
    assertThatThrownBy(() -> guard.admit(call(), List.of(TARGET))).isInstanceOf(GatewayException.class);
    clock.advanceMillis(60_000); // 00:00 on Tuesday: a new day
    CallGuard.Permit nextDay = guard.admit(call(), List.of(TARGET));
    assertThat(held(budget).spentUsd()).isZero();
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.000273");
    nextDay.release();
    assertThat(held(budget).reservedUsd()).isZero();
  }

  @Test
  void aCallSettlesInThePeriodItWasAdmittedIn() {
    var budget = budget("1", Period.MONTH);
    clock.advanceMillis(Duration.ofDays(27).toMillis()); // 2026-03-29 23:59
    CallGuard.Permit permit = guard.admit(call(), List.of(TARGET));
    long march = budget.row().periodKind().start(clock.millis());
    clock.advanceMillis(Duration.ofDays(3).toMillis()); // April: the call ends after the period
    permit.settle(record(new BigDecimal("0.0001")));
    var marchSpend = jdbi.withHandle(h -> h.attach(BudgetSpendDao.class).periodTotal(budget.row().id(), march));
    assertThat(marchSpend.spentUsd()).isEqualByComparingTo("0.0001");
    assertThat(marchSpend.reservedUsd()).isZero();
    assertThat(held(budget).spentUsd()).isZero();
  }

  @Test
  void theSweeperReleasesHoldsOlderThanTheTimeoutAndALateSettleStillCharges() {
    var budget = budget("1", Period.TOTAL);
    CallGuard.Permit crashed = guard.admit(call(), List.of(TARGET));
    clock.advanceMillis(Duration.ofMinutes(30).toMillis());
    CallGuard.Permit recent = guard.admit(call(), List.of(TARGET));
    clock.advanceMillis(Duration.ofMinutes(31).toMillis());
    assertThat(spend.sweep(Duration.ofHours(1).toMillis())).isEqualTo(1);
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.000273");
    assertThat(spend.sweep(Duration.ofHours(1).toMillis())).isZero();
    // the swept call ends after all: its cost is charged, its hold is not returned twice
    crashed.settle(record(new BigDecimal("0.0002")));
    recent.settle(record(new BigDecimal("0.0001")));
    assertThat(held(budget).reservedUsd()).isZero();
    assertThat(held(budget).spentUsd()).isEqualByComparingTo("0.0003");
  }

  @Test
  void aBudgetDeletedSinceItWasReadNoLongerApplies() {
    var budget = budget("0.0001", Period.DAY);
    var counter = new BudgetSpend.Counter(budget.row(), "global:", Period.DAY.start(clock.millis()));
    assertThat(spend.reserve(counter, new BigDecimal("0.001"), "req")).isNull(); // does not fit: refused
    budgets.delete(ADMIN, budget.row().id());
    // another instance still applying its copy: the row is gone, so is the budget
    assertThat(spend.reserve(counter, new BigDecimal("0.001"), "req")).isSameAs(BudgetSpend.GONE);
    var fresh = new BudgetSpend.Counter(budget.row(), "global:", Period.DAY.start(clock.millis()) + 86_400_000L);
    assertThat(spend.reserve(fresh, new BigDecimal("0.001"), "req")).isSameAs(BudgetSpend.GONE);
  }

  @Test
  void eachThresholdIsClaimedOnceInOrder() {
    var budget = budget("0.001", Period.TOTAL);
    var dao = jdbi.onDemand(BudgetSpendDao.class);
    String id = budget.row().id();
    dao.ensurePeriod(id, "global:", 0);
    assertThat(dao.claimAlert(id, "global:", 0, 50)).isEqualTo(1);
    assertThat(dao.claimAlert(id, "global:", 0, 50)).isZero();
    assertThat(dao.claimAlert(id, "global:", 0, 100)).isEqualTo(1);
    assertThat(dao.claimAlert(id, "global:", 0, 50)).isZero();
  }

  @Test
  void periodsAreCalendarPeriodsInUtc() {
    long wednesday = Instant.parse("2026-03-04T13:14:15Z").toEpochMilli();
    assertThat(Instant.ofEpochMilli(Period.DAY.start(wednesday))).isEqualTo(Instant.parse("2026-03-04T00:00:00Z"));
    assertThat(Instant.ofEpochMilli(Period.WEEK.start(wednesday))).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    assertThat(Instant.ofEpochMilli(Period.MONTH.start(wednesday))).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(Period.TOTAL.start(wednesday)).isZero();
    assertThat(Instant.ofEpochMilli(Period.MONTH.end(Period.MONTH.start(wednesday))))
        .isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
    assertThat(Period.TOTAL.end(0)).isNull();
  }

  private UsageRecord record(BigDecimal cost) {
    return new UsageRecord("r", "req", clock.millis(), ADMIN.principalId(), ADMIN.name(), null, "chat", "ai.llm.m",
        1L, "champion", "demo_mock", "MOCK", "mock-large", 6, 10, 0, 0, false, 5, 1L, 200, null, false, cost, "test",
        false, null, null);
  }
}
