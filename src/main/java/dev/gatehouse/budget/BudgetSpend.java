package dev.gatehouse.budget;

import com.github.benmanes.caffeine.cache.Cache;
import dev.gatehouse.common.Caches;
import dev.gatehouse.common.Ids;
import dev.gatehouse.db.BatchedWrites;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves money on budget periods. A hard budget admits calls from this instance's lease on its
 * period ({@link BudgetLease}): a slice of the period's room reserved in one conditional UPDATE,
 * grown when a call does not fit what is free, renewed now and then, and given back when idle, on
 * shutdown, or by the sweeper of any instance once its own stops renewing it. A call's cost is
 * charged to its lease's row in the transaction of its usage record, so a crash loses neither, and
 * folded into the period row (which every instance's calls would otherwise contend on) at the next
 * upkeep tick or when the lease is given back or swept.
 *
 * <p>Spent + reserved never passes a hard budget's amount: a lease grows only under that check, and
 * an instance takes from a lease only while it is sure no sweeper may have given it back (renewed
 * within half the lease timeout; instances' clocks must agree to better than that).
 */
public class BudgetSpend {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetSpend.class);
  static final int SWEEP_BATCH = 500;
  /** Money columns keep 10 decimals: amounts written to a lease are rounded to them, in its favour. */
  private static final int SCALE = 10;
  private static final BigDecimal NOTHING = BigDecimal.ZERO;
  private static final BigDecimal TWO = BigDecimal.valueOf(2);

  private final Jdbi jdbi;
  private final Clock clock;
  private final BudgetAlerts alerts;
  private final long leaseTimeoutMillis;
  private final long leaseIdleMillis;
  private final BigDecimal leaseCalls;
  private final String instanceId = Ids.newId();
  private final ConcurrentHashMap<String, BudgetLease> leases = new ConcurrentHashMap<>();
  /** Period rows known to exist: a busy budget's calls skip the existence check (a period row is never deleted alone). */
  private final Cache<String, Boolean> knownPeriods = Caches.builder().maximumSize(100_000).build();

  /** What {@link #reserve} answers when the budget was deleted (on another instance) since it was read. */
  static final Hold GONE = new Hold(null, null);

  /**
   * @param leaseCalls a lease grows by the worst case of this many calls (at most half the room left),
   *     or a multiple of them when it runs out quickly ({@link BudgetLease#growthFactor})
   */
  public BudgetSpend(Jdbi jdbi, Clock clock, BudgetAlerts alerts, long leaseTimeoutMillis, long leaseIdleMillis,
      int leaseCalls) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.alerts = alerts;
    this.leaseTimeoutMillis = leaseTimeoutMillis;
    this.leaseIdleMillis = leaseIdleMillis;
    this.leaseCalls = BigDecimal.valueOf(leaseCalls);
  }

  /** A budget's counter (shared, or a member's) in the period a call was admitted in. */
  public record Counter(BudgetRow budget, String counterKey, long periodStart) {
    String key() {
      return budget.id() + "|" + counterKey + "|" + periodStart;
    }
  }

  /** What a call holds of a lease. */
  record Hold(BudgetLease lease, BigDecimal amount) {}

  /** A lease whose row was given back by a sweeper: this instance may no longer take from it. */
  private static final class LeaseLost extends RuntimeException {
    LeaseLost() {
      super(null, null, false, false);
    }
  }

  /**
   * Holds {@code amount} of the counter's room for a call; answers null when it does not fit,
   * {@link #GONE} when the budget no longer exists.
   */
  Hold reserve(Counter c, BigDecimal amount) {
    if (!ensurePeriod(c)) {
      return GONE;
    }
    while (true) {
      BudgetLease lease = leases.computeIfAbsent(c.key(), k -> new BudgetLease(c));
      lease.lock.lock();
      try {
        if (lease.ended) {
          leases.remove(c.key(), lease);
          continue;
        }
        long now = clock.millis();
        boolean stale = lease.persisted() && now - lease.renewedAt >= leaseTimeoutMillis / 2;
        if (stale || lease.free.compareTo(amount) < 0) {
          BigDecimal need = amount.subtract(lease.free).max(NOTHING).setScale(SCALE, RoundingMode.CEILING);
          int factor = need.signum() > 0 ? lease.growthFactor(now) : 1;
          if (!sync(lease, need, amount.multiply(leaseCalls).multiply(BigDecimal.valueOf(factor)), now)) {
            if (gone(c)) {
              knownPeriods.invalidate(c.key());
              return GONE;
            }
            return null;
          }
        }
        lease.free = lease.free.subtract(amount);
        lease.calls++;
        lease.lastUsedAt = now;
        return new Hold(lease, amount);
      } catch (LeaseLost e) {
        end(lease);
      } finally {
        lease.lock.unlock();
      }
    }
  }

  /** Creates the period row unless known to exist; false when the budget is gone. */
  private boolean ensurePeriod(Counter c) {
    if (knownPeriods.getIfPresent(c.key()) != null) {
      return true;
    }
    try {
      jdbi.useHandle(h -> h.attach(BudgetSpendDao.class).ensurePeriod(c.budget().id(), c.counterKey(),
          c.periodStart()));
    } catch (UnableToExecuteStatementException e) {
      if (gone(c)) {
        return false;
      }
      throw e;
    }
    knownPeriods.put(c.key(), Boolean.TRUE);
    return true;
  }

  private boolean gone(Counter c) {
    return jdbi.withHandle(h -> h.attach(BudgetDao.class).find(c.budget().id())).isEmpty();
  }

  /**
   * In one transaction (caller holds the lease's lock): folds the calls' charges from the lease row
   * into the period row (raising the thresholds they crossed), renews the lease, and grows it by
   * {@code need} or more (up to {@code want}, at most half of the room left, so other instances keep
   * some). False when the period has no room for {@code need}; the fold and renewal are kept all the same.
   */
  boolean sync(BudgetLease lease, BigDecimal need, BigDecimal want, long now) {
    Counter c = lease.counter;
    boolean wasPersisted = lease.persisted();
    lease.charged = false; // charges committed from here on are folded next time
    List<BudgetAlerts.Alert> crossed = new ArrayList<>();
    BigDecimal granted = jdbi.inTransaction(h -> {
      crossed.clear();
      BudgetSpendDao dao = h.attach(BudgetSpendDao.class);
      if (wasPersisted) {
        // the lease row first, then the period row: the order every lease transaction locks them in
        BudgetSpendDao.LeaseAmounts held = dao.lockLease(lease.id).orElseThrow(LeaseLost::new);
        dao.foldLease(lease.id, now);
        if (held.chargedUsd().signum() > 0 || held.coveredUsd().signum() > 0) {
          dao.settle(c.budget().id(), c.counterKey(), c.periodStart(), held.coveredUsd(), held.chargedUsd());
          crossed.addAll(crossedThresholds(dao, c));
        }
      }
      if (need.signum() == 0) {
        return NOTHING;
      }
      BigDecimal grant = grant(dao, c, need, want);
      if (grant != null && wasPersisted) {
        dao.changeLease(lease.id, grant, now);
      } else if (grant != null) {
        dao.insertLease(new BudgetSpendDao.Lease(lease.id, c.budget().id(), c.counterKey(), c.periodStart(),
            grant, instanceId, now));
      }
      return grant;
    });
    if (granted != null) {
      lease.free = lease.free.add(granted);
    }
    if (wasPersisted || (granted != null && granted.signum() > 0)) {
      lease.renewedAt = now;
    }
    crossed.forEach(alerts::crossed);
    return granted != null;
  }

  /** Adds at least {@code need} to the period's reservations; what was added, null when it does not fit. */
  private static BigDecimal grant(BudgetSpendDao dao, Counter c, BigDecimal need, BigDecimal want) {
    BigDecimal room = dao.room(c.budget().id(), c.counterKey(), c.periodStart()).orElse(null);
    if (room == null) {
      return null;
    }
    BigDecimal slice = want.min(room.divide(TWO)).setScale(SCALE, RoundingMode.FLOOR);
    if (slice.compareTo(need) > 0 && dao.reserve(c.budget().id(), c.counterKey(), c.periodStart(), slice) == 1) {
      return slice;
    }
    return dao.reserve(c.budget().id(), c.counterKey(), c.periodStart(), need) == 1 ? need : null;
  }

  /** Returns a hold whole: the call reached no provider. */
  void release(Hold hold) {
    hold.lease().endHold(hold.amount(), clock.millis());
  }

  /**
   * Charges a finished call's cost: its holds go back to their leases, and the answer is the writes
   * (committed with the call's usage record) that charge the cost to each lease's row, which only
   * this instance writes (folded into the period at the next upkeep tick), and add it to each soft
   * budget's period. A provider that billed more than the hold is charged all the same, since it was
   * paid. Soft budgets check their thresholds with each charge; hard ones when folded.
   */
  List<BatchedWrites.Step> charge(List<Hold> holds, List<Counter> soft, BigDecimal cost) {
    List<BatchedWrites.Step> steps = new ArrayList<>();
    long now = clock.millis();
    for (Hold hold : holds) {
      BudgetLease lease = hold.lease();
      // the lease keeps the rounding: what it gives up may never exceed what the period gains
      BigDecimal fromLease = cost.min(hold.amount()).setScale(SCALE, RoundingMode.FLOOR);
      lease.endHold(hold.amount().subtract(fromLease), now);
      if (cost.signum() > 0) {
        Counter c = lease.counter;
        steps.add(new BatchedWrites.Step(c.key(), h -> {
          chargeIn(h, lease.id, fromLease, now, c, cost);
          return () -> {
            if (lease.ended) {
              alertIfCrossed(c); // no upkeep tick looks at an ended lease
            } else {
              lease.charged = true;
            }
          };
        }));
      }
    }
    for (Counter c : soft) {
      if (cost.signum() > 0 && ensurePeriod(c)) {
        steps.add(new BatchedWrites.Step(c.key(), h -> {
          chargeIn(h, null, NOTHING, now, c, cost);
          List<BudgetAlerts.Alert> crossed = c.budget().thresholds().isEmpty() ? List.of()
              : crossedThresholds(h.attach(BudgetSpendDao.class), c);
          return crossed.isEmpty() ? null : () -> crossed.forEach(alerts::crossed);
        }));
      }
    }
    return steps;
  }

  private static void chargeIn(Handle h, String leaseId, BigDecimal fromLease, long now, Counter c, BigDecimal cost) {
    try {
      BudgetSpendDao.charge(h, leaseId, fromLease, now, c.budget().id(), c.counterKey(), c.periodStart(), cost);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /**
   * Run every lease timeout / 4 or more often: gives back leases idle for the idle time, and folds
   * the charges of the others into their periods (raising their alerts) and renews them when due.
   */
  public void maintain() {
    long now = clock.millis();
    for (BudgetLease lease : leases.values()) {
      if (!lease.lock.tryLock()) {
        continue; // a call is growing it, which renews it too
      }
      try {
        if (lease.ended) {
          continue;
        }
        if (lease.calls == 0 && now - lease.lastUsedAt >= leaseIdleMillis) {
          giveBack(lease);
        } else if (lease.persisted() && (lease.charged || now - lease.renewedAt >= leaseTimeoutMillis / 4)) {
          sync(lease, NOTHING, NOTHING, now);
        }
      } catch (LeaseLost e) {
        end(lease);
      } catch (RuntimeException e) {
        LOG.warn("Could not renew or give back budget lease {}; retried at the next tick", lease.id, e);
      } finally {
        lease.lock.unlock();
      }
    }
  }

  /** Gives back every lease of this instance (on shutdown): other instances may use the room at once. */
  public void giveBackAll() {
    for (BudgetLease lease : leases.values()) {
      lease.lock.lock();
      try {
        if (!lease.ended) {
          giveBack(lease);
        }
      } catch (RuntimeException e) {
        LOG.warn("Could not give back budget lease {}; the sweeper will", lease.id, e);
      } finally {
        lease.lock.unlock();
      }
    }
  }

  /** Ends a lease (caller holds its lock) and gives its row back, with its charges. */
  private void giveBack(BudgetLease lease) {
    end(lease);
    if (lease.persisted()) {
      Counter c = lease.counter;
      giveBack(new BudgetSpendDao.Lease(lease.id, c.budget().id(), c.counterKey(), c.periodStart(), NOTHING,
          instanceId, lease.renewedAt), c);
    }
  }

  private void end(BudgetLease lease) {
    lease.ended = true;
    leases.remove(lease.counter.key(), lease);
  }

  /**
   * Deletes a lease row: its amount, as it stands under the row's lock, leaves the period's
   * reservations and its charges join the period's spend; false when another caller gave it back first.
   */
  private boolean giveBack(BudgetSpendDao.Lease row, Counter alertsOf) {
    List<BudgetAlerts.Alert> crossed = new ArrayList<>();
    boolean mine = jdbi.inTransaction(h -> {
      crossed.clear();
      BudgetSpendDao dao = h.attach(BudgetSpendDao.class);
      BudgetSpendDao.LeaseAmounts held = dao.lockLease(row.id()).orElse(null);
      if (held == null || dao.deleteLease(row.id()) == 0) {
        return false;
      }
      dao.settle(row.budgetId(), row.counterKey(), row.periodStart(), held.amountUsd(), held.chargedUsd());
      if (alertsOf != null && held.chargedUsd().signum() > 0) {
        crossed.addAll(crossedThresholds(dao, alertsOf));
      }
      return true;
    });
    crossed.forEach(alerts::crossed);
    return mine;
  }

  /** Gives back the leases not renewed for {@code maxAgeMillis}: left by an instance that crashed or hung. */
  public int sweep(long maxAgeMillis) {
    int released = 0;
    List<BudgetSpendDao.Lease> stale;
    do {
      long before = clock.millis() - maxAgeMillis;
      stale = jdbi.withHandle(h -> h.attach(BudgetSpendDao.class).staleLeases(before, SWEEP_BATCH));
      for (BudgetSpendDao.Lease row : stale) {
        if (giveBack(row, null)) {
          released++;
        }
      }
    } while (stale.size() == SWEEP_BATCH);
    if (released > 0) {
      LOG.warn("Gave back {} budget leases not renewed for {} ms (their instances stopped)", released, maxAgeMillis);
    }
    return released;
  }

  /** Raises each threshold the counter's spend has reached whose alert no one raised yet. */
  private void alertIfCrossed(Counter c) {
    if (!c.budget().thresholds().isEmpty()) {
      jdbi.withHandle(h -> crossedThresholds(h.attach(BudgetSpendDao.class), c)).forEach(alerts::crossed);
    }
  }

  /**
   * Claims each threshold the counter's spend has reached whose alert no one raised yet (each claim
   * is one conditional UPDATE, so exactly one caller wins it); the alerts to raise once committed.
   */
  private static List<BudgetAlerts.Alert> crossedThresholds(BudgetSpendDao dao, Counter c) {
    BudgetRow b = c.budget();
    if (b.thresholds().isEmpty()) {
      return List.of();
    }
    List<BudgetAlerts.Alert> crossed = new ArrayList<>();
    BigDecimal spent = dao.spend(b.id(), c.counterKey(), c.periodStart()).map(BudgetSpendDao.Spend::spentUsd)
        .orElse(NOTHING);
    BigDecimal percent = spent.multiply(BigDecimal.valueOf(100));
    for (int pct : b.thresholds()) {
      if (percent.compareTo(b.amountUsd().multiply(BigDecimal.valueOf(pct))) < 0) {
        break;
      }
      // thresholds are claimed in ascending order, each by exactly one caller (see claimAlert)
      if (dao.claimAlert(b.id(), c.counterKey(), c.periodStart(), pct) == 1) {
        crossed.add(new BudgetAlerts.Alert(b, c.counterKey(), c.periodStart(), pct, spent));
      }
    }
    return crossed;
  }
}
