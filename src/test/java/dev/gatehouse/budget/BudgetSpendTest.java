package dev.gatehouse.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.db.BatchedWrites;
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
 * The budget guard over a migrated database with a hand-moved clock: calls hold from a lease that
 * grows within the budget and goes back when idle, periods roll over at UTC midnight, leases of
 * crashed instances are swept, a settled call's cost is charged with its record.
 */
class BudgetSpendTest {
  private static final Caller ADMIN = new Caller("p-admin", "admin", PrincipalType.USER, null, Set.of(),
      Set.of(Caller.ADMINS_GROUP), true);
  /** mock-large is priced 1.00 / 2.00 per 1M in the shipped list. */
  private static final Target TARGET = new Target("ai.llm.m", 1, "champion",
      new ServingSpec("demo_mock", "mock-large", ServingSpec.CHAT, null, null, null, null, null));

  private static final Duration LEASE_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration IDLE = Duration.ofSeconds(1);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T23:59:00Z").toEpochMilli());
  private Jdbi jdbi;
  private BudgetService budgets;
  private BatchedWrites writes;
  private BudgetSpend spend;
  private BudgetGuard guard;
  private BudgetAlerts alerts;

  @AfterEach
  void stopWrites() throws InterruptedException {
    writes.stop();
  }

  @BeforeEach
  void setUp() {
    jdbi = TestDatabases.migrated();
    budgets = new BudgetService(jdbi, clock, caller -> true, Duration.ZERO);
    alerts = new BudgetAlerts(new AuditLog(jdbi, clock, new ObjectMapper(), true, TestDatabases.linking()),
        new ObjectMapper(), 1, Duration.ofMillis(10), Duration.ofSeconds(1));
    writes = new BatchedWrites(jdbi);
    writes.start();
    spend = newInstance();
    var prices = new PriceBook(jdbi, clock, PriceFile.load(), connection -> Optional.of("mock"), Duration.ofSeconds(5));
    guard = new BudgetGuard(budgets, spend, prices, new BudgetConfig(), clock);
  }

  private BudgetSpend newInstance() {
    return new BudgetSpend(jdbi, clock, alerts, LEASE_TIMEOUT.toMillis(), IDLE.toMillis(), 32);
  }

  /** Commits what the permit's settle charges, as the ledger does with the call's usage record. */
  private void settle(CallGuard.Permit permit, String cost) {
    writes.write(permit.settle(record(new BigDecimal(cost))));
  }

  /** Ticks the sweeper's upkeep once the leases have been idle long enough to go back. */
  private void idle() {
    clock.advanceMillis(IDLE.toMillis());
    spend.maintain();
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
  void aCallHoldsFromALeaseOfAtMostHalfTheRoomAndIsChargedItsActualCost() {
    var budget = budget("0.001", Period.DAY);
    CallGuard.Permit permit = guard.admit(call(), List.of(TARGET));
    // 32 calls' worst case would be 0.008736: the lease takes half of the 0.001 instead
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.0005");
    settle(permit, "0.000040");
    assertThat(held(budget).spentUsd()).isEqualByComparingTo("0.00004"); // moved from the lease to the spend
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.00046");
    assertThat(periodRow(budget).spentUsd()).isZero(); // charged to this instance's lease row, not the shared one
    spend.maintain(); // not idle yet: kept, its charges folded into the period
    assertThat(periodRow(budget).spentUsd()).isEqualByComparingTo("0.00004");
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.00046");
    idle();
    assertThat(held(budget).reservedUsd()).isZero();
    assertThat(held(budget).spentUsd()).isEqualByComparingTo("0.00004");
    assertThat(leaseRows()).isZero();
  }

  @Test
  void callsTakeFromTheLeaseWithoutAWriteUntilItRunsOut() {
    var budget = budget("1", Period.DAY);
    List<CallGuard.Permit> permits = new java.util.ArrayList<>();
    for (int i = 0; i < 32; i++) {
      permits.add(guard.admit(call(), List.of(TARGET)));
    }
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.008736"); // one slice of 32 worst cases
    clock.advanceMillis(BudgetLease.QUICK_GROWTH_MILLIS);
    permits.add(guard.admit(call(), List.of(TARGET)));
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.017472"); // the 33rd grew it by a slice
    permits.forEach(CallGuard.Permit::release);
    idle();
    assertThat(held(budget).reservedUsd()).isZero();
  }

  @Test
  void aLeaseThatRunsOutWithinASecondGrowsByTwiceAsMuchNextTime() {
    var budget = budget("10", Period.DAY);
    List<CallGuard.Permit> permits = new java.util.ArrayList<>();
    for (int i = 0; i < 33; i++) {
      permits.add(guard.admit(call(), List.of(TARGET)));
    }
    // the 33rd came at once: two slices of 32 worst cases (0.008736 each) on top of the first
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.026208");
    for (int i = 33; i < 97; i++) {
      permits.add(guard.admit(call(), List.of(TARGET)));
    }
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.061152"); // then four: seven slices, 224 calls
    clock.advanceMillis(BudgetLease.QUICK_GROWTH_MILLIS + 500);
    for (int i = 97; i < 225; i++) {
      permits.add(guard.admit(call(), List.of(TARGET)));
    }
    // the lease lasted more than a second this time: it grows by half as much, two slices
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.078624");
    permits.forEach(CallGuard.Permit::release);
    idle();
    assertThat(held(budget).reservedUsd()).isZero();
  }

  @Test
  void aFullDayRefusesUntilMidnightUtc() {
    var budget = budget("0.0005", Period.DAY);
    CallGuard.Permit first = guard.admit(call(), List.of(TARGET));
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.000273"); // half the room would not fit it
    assertThatThrownBy(() -> guard.admit(call(), List.of(TARGET)))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(429));
    settle(first, "0.0004");
    assertThatThrownBy(() -> guard.admit(call(), List.of(TARGET))).isInstanceOf(GatewayException.class);
    assertThat(held(budget).reservedUsd()).isZero(); // the hold became spend
    clock.advanceMillis(60_000); // 00:00 on Tuesday: a new day
    CallGuard.Permit nextDay = guard.admit(call(), List.of(TARGET));
    assertThat(held(budget).spentUsd()).isZero();
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.000273");
    nextDay.release();
    guard.admit(call(), List.of(TARGET)).release(); // the released hold is free again at once
    idle();
    assertThat(held(budget).reservedUsd()).isZero();
  }

  @Test
  void aCallSettlesInThePeriodItWasAdmittedIn() {
    var budget = budget("1", Period.MONTH);
    clock.advanceMillis(Duration.ofDays(27).toMillis()); // 2026-03-29 23:59
    CallGuard.Permit permit = guard.admit(call(), List.of(TARGET));
    long march = budget.row().periodKind().start(clock.millis());
    clock.advanceMillis(Duration.ofDays(3).toMillis()); // April: the call ends after the period
    settle(permit, "0.0001");
    idle();
    var marchSpend = jdbi.withHandle(h -> h.attach(BudgetSpendDao.class).periodTotal(budget.row().id(), march));
    assertThat(marchSpend.spentUsd()).isEqualByComparingTo("0.0001");
    assertThat(marchSpend.reservedUsd()).isZero();
    assertThat(held(budget).spentUsd()).isZero();
  }

  @Test
  void theSweeperGivesBackLeasesNotRenewedAndALateChargeStillCounts() {
    var budget = budget("1", Period.TOTAL);
    CallGuard.Permit crashed = guard.admit(call(), List.of(TARGET));
    BudgetSpend other = newInstance();
    clock.advanceMillis(LEASE_TIMEOUT.toMillis());
    assertThat(other.sweep(LEASE_TIMEOUT.toMillis())).isZero();
    clock.advanceMillis(1);
    assertThat(other.sweep(LEASE_TIMEOUT.toMillis())).isEqualTo(1);
    assertThat(held(budget).reservedUsd()).isZero();
    assertThat(other.sweep(LEASE_TIMEOUT.toMillis())).isZero();
    // the call of the hung instance ends after all: its cost is charged, its lease not given back twice
    settle(crashed, "0.0002");
    assertThat(held(budget).reservedUsd()).isZero();
    assertThat(held(budget).spentUsd()).isEqualByComparingTo("0.0002");
    // and that instance takes a new lease rather than the swept one
    CallGuard.Permit next = guard.admit(call(), List.of(TARGET));
    assertThat(held(budget).reservedUsd()).isEqualByComparingTo("0.008736");
    assertThat(leaseRows()).isEqualTo(1);
    next.release();
  }

  @Test
  void theChargesOfACrashedInstancesLeaseJoinTheSpendWhenItIsSwept() {
    var budget = budget("1", Period.TOTAL);
    settle(guard.admit(call(), List.of(TARGET)), "0.0002"); // committed with its record, then the crash
    clock.advanceMillis(LEASE_TIMEOUT.toMillis() + 1);
    assertThat(newInstance().sweep(LEASE_TIMEOUT.toMillis())).isEqualTo(1);
    assertThat(periodRow(budget).spentUsd()).isEqualByComparingTo("0.0002");
    assertThat(periodRow(budget).reservedUsd()).isZero();
    assertThat(leaseRows()).isZero();
  }

  @Test
  void aLeaseIsRenewedWhileInUseAndNotTakenFromOnceItMayHaveBeenSwept() {
    var budget = budget("1", Period.TOTAL);
    CallGuard.Permit running = guard.admit(call(), List.of(TARGET));
    BudgetSpend other = newInstance();
    for (int i = 0; i < 8; i++) { // a long stream: its instance renews the lease every quarter of the timeout
      clock.advanceMillis(LEASE_TIMEOUT.toMillis() / 4);
      spend.maintain();
      assertThat(other.sweep(LEASE_TIMEOUT.toMillis())).isZero();
    }
    settle(running, "0.0001");
    // upkeep stalled past half the timeout: the next call renews before it takes anything
    clock.advanceMillis(LEASE_TIMEOUT.toMillis() / 2);
    guard.admit(call(), List.of(TARGET)).release();
    clock.advanceMillis(LEASE_TIMEOUT.toMillis() / 2);
    assertThat(other.sweep(LEASE_TIMEOUT.toMillis())).isZero();
    assertThat(held(budget).spentUsd().add(held(budget).reservedUsd())).isEqualByComparingTo("0.008736");
  }

  @Test
  void twoInstancesNeverHoldMoreThanTheBudgetBetweenThem() {
    var budget = budget("0.01", Period.DAY);
    BudgetSpend second = newInstance();
    var secondGuard = new BudgetGuard(budgets, second, new PriceBook(jdbi, clock, PriceFile.load(),
        connection -> Optional.of("mock"), Duration.ofSeconds(5)), new BudgetConfig(), clock);
    int admitted = 0;
    for (int i = 0; i < 60; i++) {
      try {
        (i % 2 == 0 ? guard : secondGuard).admit(call(), List.of(TARGET));
        admitted++;
      } catch (GatewayException refused) {
        assertThat(refused.status()).isEqualTo(429);
      }
      assertThat(held(budget).reservedUsd()).isLessThanOrEqualTo(new BigDecimal("0.01"));
    }
    // 36 worst cases of 0.000273 fit in 0.01; leases split the room, so one instance may refuse a
    // call the other's slice could take, but never admits more
    assertThat(admitted).isBetween(30, 36);
    second.giveBackAll();
    spend.giveBackAll();
    assertThat(leaseRows()).isZero();
    assertThat(held(budget).reservedUsd()).isZero();
  }

  @Test
  void aHardBudgetsThresholdsAreClaimedWhenItsLeaseIsFolded() throws InterruptedException {
    var budget = budget("0.001", Period.TOTAL);
    CallGuard.Permit permit = guard.admit(call(), List.of(TARGET));
    settle(permit, "0.0006");
    assertThat(alertsClaimed(budget)).isZero();
    spend.maintain();
    assertThat(alertsClaimed(budget)).isEqualTo(50);
    long deadline = System.nanoTime() + 10_000_000_000L; // the audit event is written by the alerts' thread
    while (thresholdEvents() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(thresholdEvents()).isEqualTo(1);
  }

  @Test
  void aBudgetDeletedSinceItWasReadNoLongerApplies() {
    var budget = budget("0.0001", Period.DAY);
    var counter = new BudgetSpend.Counter(budget.row(), "global:", Period.DAY.start(clock.millis()));
    assertThat(spend.reserve(counter, new BigDecimal("0.001"))).isNull(); // does not fit: refused
    budgets.delete(ADMIN, budget.row().id());
    // another instance still applying its copy: the row is gone, so is the budget
    assertThat(spend.reserve(counter, new BigDecimal("0.001"))).isSameAs(BudgetSpend.GONE);
    var fresh = new BudgetSpend.Counter(budget.row(), "global:", Period.DAY.start(clock.millis()) + 86_400_000L);
    assertThat(spend.reserve(fresh, new BigDecimal("0.001"))).isSameAs(BudgetSpend.GONE);
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

  private int thresholdEvents() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM audit_events WHERE action_name"
        + " = 'budgetThresholdCrossed'").mapTo(Integer.class).one());
  }

  /** The period row alone, without what leases hold. */
  private BudgetSpendDao.Spend periodRow(BudgetService.View budget) {
    return jdbi.withHandle(h -> h.attach(BudgetSpendDao.class).spend(budget.row().id(), "global:",
        budget.row().periodKind().start(clock.millis()))).orElseThrow();
  }

  private int leaseRows() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM budget_leases").mapTo(Integer.class).one());
  }

  private int alertsClaimed(BudgetService.View budget) {
    return jdbi.withHandle(h -> h.createQuery("SELECT max(alerted_pct) FROM budget_periods WHERE budget_id = :id")
        .bind("id", budget.row().id()).mapTo(Integer.class).one());
  }

  private UsageRecord record(BigDecimal cost) {
    return new UsageRecord("r", "req", clock.millis(), ADMIN.principalId(), ADMIN.name(), null, "chat", "ai.llm.m",
        1L, "champion", "demo_mock", "MOCK", "mock-large", 6, 10, 0, 0, false, 5, 1L, 200, null, false, cost, "test",
        false, null, null);
  }
}
