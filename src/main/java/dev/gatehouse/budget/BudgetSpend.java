package dev.gatehouse.budget;

import dev.gatehouse.common.Ids;
import dev.gatehouse.db.BatchedWrites;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves money on budget periods: reserves for a call, settles it to its actual cost, releases holds
 * (of calls that never reached a provider, or orphaned by a crash) and raises threshold alerts.
 * A reservation row and its amount in the period row change together in one transaction, and the
 * reservation is deleted by exactly one of settle, release and the sweeper, so none is counted twice.
 */
public class BudgetSpend {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetSpend.class);
  static final int SWEEP_BATCH = 500;
  private static final BigDecimal NOTHING = BigDecimal.ZERO;

  private final Jdbi jdbi;
  private final Clock clock;
  private final BudgetAlerts alerts;
  private final String instanceId = Ids.newId();
  /** Period rows known to exist: a busy budget's calls skip the existence check (a period row is never deleted alone). */
  private final Cache<String, Boolean> knownPeriods = Caffeine.newBuilder().maximumSize(100_000).build();

  /** What {@link #reserve} answers when the budget was deleted (on another instance) since it was read. */
  static final Hold GONE = new Hold(null, null, null);

  /** Holds and settlements of concurrent calls share commits: each call makes one of each. */
  private final BatchedWrites writes;

  public BudgetSpend(Jdbi jdbi, BatchedWrites writes, Clock clock, BudgetAlerts alerts) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.clock = clock;
    this.alerts = alerts;
  }

  /** A budget's counter (shared, or a member's) in the period a call was admitted in. */
  public record Counter(BudgetRow budget, String counterKey, long periodStart) {}

  /** What a call holds on a hard budget. */
  public record Hold(String reservationId, Counter counter, BigDecimal amount) {}

  /**
   * Reserves {@code amount} on the counter; answers null when it does not fit, {@link #GONE} when
   * the budget no longer exists.
   */
  Hold reserve(Counter c, BigDecimal amount, String requestId) {
    String id = Ids.newTimeOrderedId();
    String period = periodKey(c.budget().id(), c.counterKey(), c.periodStart());
    if (knownPeriods.getIfPresent(period) == null) {
      try {
        jdbi.useHandle(h -> h.attach(BudgetSpendDao.class).ensurePeriod(c.budget().id(), c.counterKey(),
            c.periodStart()));
      } catch (UnableToExecuteStatementException e) {
        if (gone(c)) {
          return GONE;
        }
        throw e;
      }
      knownPeriods.put(period, Boolean.TRUE);
    }
    boolean fits = writes.write(period, h -> {
      BudgetSpendDao dao = h.attach(BudgetSpendDao.class);
      if (dao.reserve(c.budget().id(), c.counterKey(), c.periodStart(), amount) == 0) {
        return false;
      }
      dao.insertReservation(new BudgetSpendDao.Reservation(id, c.budget().id(), c.counterKey(), c.periodStart(),
          amount, clock.millis(), instanceId, requestId));
      return true;
    });
    if (fits) {
      return new Hold(id, c, amount);
    }
    if (gone(c)) {
      knownPeriods.invalidate(period);
      return GONE;
    }
    return null;
  }

  private boolean gone(Counter c) {
    return jdbi.withHandle(h -> h.attach(BudgetDao.class).find(c.budget().id())).isEmpty();
  }

  /** Returns a hold whole: the call reached no provider. */
  void release(Hold hold) {
    try {
      takeBack(hold, NOTHING);
    } catch (RuntimeException e) {
      LOG.error("Could not release reservation {}; the sweeper will", hold.reservationId(), e);
    }
  }

  /**
   * Charges a finished call's cost: its holds become spend, soft budgets get the cost added, and
   * every threshold newly crossed raises its alert. Failures are logged, never thrown: the call's
   * answer is already on its way, and an unsettled hold is released by the sweeper.
   */
  void settle(List<Hold> holds, List<Counter> soft, BigDecimal cost) {
    for (Hold hold : holds) {
      try {
        takeBack(hold, cost);
        alertIfCrossed(hold.counter());
      } catch (RuntimeException e) {
        LOG.error("Could not settle reservation {} at {} USD", hold.reservationId(), cost, e);
      }
    }
    for (Counter counter : soft) {
      try {
        if (cost.signum() > 0) {
          jdbi.useHandle(h -> {
            BudgetSpendDao dao = h.attach(BudgetSpendDao.class);
            dao.ensurePeriod(counter.budget().id(), counter.counterKey(), counter.periodStart());
            dao.settle(counter.budget().id(), counter.counterKey(), counter.periodStart(), NOTHING, cost);
          });
          alertIfCrossed(counter);
        }
      } catch (RuntimeException e) {
        LOG.error("Could not add {} USD to budget {}", cost, counter.budget().id(), e);
      }
    }
  }

  /** Releases the holds older than {@code maxAgeMillis}: left by an instance that crashed mid-call. */
  public int sweep(long maxAgeMillis) {
    int released = 0;
    List<BudgetSpendDao.Reservation> old;
    do {
      long before = clock.millis() - maxAgeMillis;
      old = jdbi.withHandle(h -> h.attach(BudgetSpendDao.class).olderThan(before, SWEEP_BATCH));
      for (BudgetSpendDao.Reservation r : old) {
        if (takeBack(r.id(), r.budgetId(), r.counterKey(), r.periodStart(), r.amountUsd(), NOTHING)) {
          released++;
        }
      }
    } while (old.size() == SWEEP_BATCH);
    if (released > 0) {
      LOG.warn("Released {} budget reservations older than {} ms (calls that never settled)", released, maxAgeMillis);
    }
    return released;
  }

  private void takeBack(Hold hold, BigDecimal spent) {
    Counter c = hold.counter();
    writes.write(periodKey(c.budget().id(), c.counterKey(), c.periodStart()), h -> takeBack(h,
        hold.reservationId(), c.budget().id(), c.counterKey(), c.periodStart(), hold.amount(), spent));
  }

  /**
   * Deletes the reservation and, if this caller was the one to delete it, moves its amount out of
   * the period's reservations and {@code spent} into its spend; if it was gone already (swept),
   * only the spend is added, since the provider was paid all the same.
   */
  private boolean takeBack(String reservationId, String budgetId, String counterKey, long periodStart,
      BigDecimal held, BigDecimal spent) {
    return jdbi.inTransaction(h -> takeBack(h, reservationId, budgetId, counterKey, periodStart, held, spent));
  }

  private static boolean takeBack(Handle h, String reservationId, String budgetId, String counterKey,
      long periodStart, BigDecimal held, BigDecimal spent) {
    BudgetSpendDao dao = h.attach(BudgetSpendDao.class);
    boolean mine = dao.deleteReservation(reservationId) == 1;
    if (mine || spent.signum() > 0) {
      dao.settle(budgetId, counterKey, periodStart, mine ? held : NOTHING, spent);
    }
    return mine;
  }

  private static String periodKey(String budgetId, String counterKey, long periodStart) {
    return budgetId + "|" + counterKey + "|" + periodStart;
  }

  /** Raises each threshold the counter's spend has reached whose alert no one raised yet. */
  private void alertIfCrossed(Counter c) {
    BudgetRow b = c.budget();
    if (b.thresholds().isEmpty()) {
      return;
    }
    jdbi.useHandle(h -> {
      BudgetSpendDao dao = h.attach(BudgetSpendDao.class);
      BigDecimal spent = dao.spend(b.id(), c.counterKey(), c.periodStart()).map(BudgetSpendDao.Spend::spentUsd)
          .orElse(NOTHING);
      BigDecimal percent = spent.multiply(BigDecimal.valueOf(100));
      for (int pct : b.thresholds()) {
        if (percent.compareTo(b.amountUsd().multiply(BigDecimal.valueOf(pct))) < 0) {
          break;
        }
        // thresholds are claimed in ascending order, each by exactly one caller (see claimAlert)
        if (dao.claimAlert(b.id(), c.counterKey(), c.periodStart(), pct) == 1) {
          alerts.crossed(new BudgetAlerts.Alert(b, c.counterKey(), c.periodStart(), pct, spent));
        }
      }
    });
  }
}
