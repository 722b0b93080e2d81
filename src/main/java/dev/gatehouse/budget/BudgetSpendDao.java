package dev.gatehouse.budget;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Spend per budget period and the leases instances hold on it. Every change of a period row is one
 * UPDATE whose row lock serializes it against every other, on every instance sharing the database;
 * a lease grows by a conditional UPDATE that re-checks the limit under it. A transaction that
 * changes a lease locks the lease row before its period row, so none waits on another in turn.
 */
@RegisterConstructorMapper(BudgetSpendDao.Lease.class)
@RegisterConstructorMapper(BudgetSpendDao.LeaseAmounts.class)
@RegisterConstructorMapper(BudgetSpendDao.Spend.class)
public interface BudgetSpendDao {
  /** An instance's slice of a hard budget's period (see {@link BudgetLease}). */
  record Lease(String id, String budgetId, String counterKey, long periodStart, BigDecimal amountUsd,
      String instanceId, long renewedAt) {}

  /** A lease row's amounts, read under its lock: what it holds, and the charges not folded yet. */
  record LeaseAmounts(BigDecimal amountUsd, BigDecimal chargedUsd, BigDecimal coveredUsd) {}

  /** What a period row (or the rows of all members of a per-member budget) holds. */
  record Spend(BigDecimal spentUsd, BigDecimal reservedUsd) {}

  @SqlUpdate("INSERT INTO budget_periods (budget_id, counter_key, period_start, spent_usd, reserved_usd, alerted_pct)"
      + " VALUES (:budgetId, :counterKey, :periodStart, 0, 0, 0)")
  void insertPeriod(@Bind("budgetId") String budgetId, @Bind("counterKey") String counterKey,
      @Bind("periodStart") long periodStart);

  @SqlQuery("SELECT count(*) FROM budget_periods WHERE budget_id = :budgetId AND counter_key = :counterKey"
      + " AND period_start = :periodStart")
  int periodCount(@Bind("budgetId") String budgetId, @Bind("counterKey") String counterKey,
      @Bind("periodStart") long periodStart);

  /** Creates the period row unless it exists; two instances racing to create it both succeed. */
  default void ensurePeriod(String budgetId, String counterKey, long periodStart) {
    if (periodCount(budgetId, counterKey, periodStart) > 0) {
      return;
    }
    try {
      insertPeriod(budgetId, counterKey, periodStart);
    } catch (UnableToExecuteStatementException e) {
      if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
        throw e;
      }
    }
  }

  /**
   * Adds {@code amount} to the period's reservations if spent + reserved stays within the budget's
   * amount; 0 rows when it would not. The row lock taken by the UPDATE makes the check and the
   * addition one step for every concurrent caller (PostgreSQL re-evaluates the condition on the
   * row's newest version after waiting; H2 does the same).
   */
  @SqlUpdate("UPDATE budget_periods SET reserved_usd = reserved_usd + :amount"
      + " WHERE budget_id = :budgetId AND counter_key = :counterKey AND period_start = :periodStart"
      + " AND spent_usd + reserved_usd + :amount <= (SELECT amount_usd FROM budgets WHERE id = :budgetId)")
  int reserve(@Bind("budgetId") String budgetId, @Bind("counterKey") String counterKey,
      @Bind("periodStart") long periodStart, @Bind("amount") BigDecimal amount);

  /** What is left of the period: amount - spent - reserved; empty when the budget or the period is gone. */
  @SqlQuery("SELECT b.amount_usd - p.spent_usd - p.reserved_usd FROM budget_periods p JOIN budgets b"
      + " ON b.id = p.budget_id WHERE p.budget_id = :budgetId AND p.counter_key = :counterKey"
      + " AND p.period_start = :periodStart")
  Optional<BigDecimal> room(@Bind("budgetId") String budgetId, @Bind("counterKey") String counterKey,
      @Bind("periodStart") long periodStart);

  @SqlUpdate("INSERT INTO budget_leases (id, budget_id, counter_key, period_start, amount_usd, instance_id,"
      + " renewed_at) VALUES (:id, :budgetId, :counterKey, :periodStart, :amountUsd, :instanceId, :renewedAt)")
  void insertLease(@BindMethods Lease lease);

  /** Adds {@code delta} (negative: a call's cost moves out) and renews; 0 rows when the lease was given back. */
  @SqlUpdate("UPDATE budget_leases SET amount_usd = amount_usd + :delta, renewed_at = :now WHERE id = :id")
  int changeLease(@Bind("id") String id, @Bind("delta") BigDecimal delta, @Bind("now") long now);

  /** The lease's amounts, its row locked until the transaction ends; empty when it was given back. */
  @SqlQuery("SELECT amount_usd, charged_usd, covered_usd FROM budget_leases WHERE id = :id FOR UPDATE")
  Optional<LeaseAmounts> lockLease(@Bind("id") String id);

  /** Moves the charges out of a lease row (locked by the caller); its period gets them in the same transaction. */
  @SqlUpdate("UPDATE budget_leases SET amount_usd = amount_usd - covered_usd, charged_usd = 0, covered_usd = 0,"
      + " renewed_at = :now WHERE id = :id")
  int foldLease(@Bind("id") String id, @Bind("now") long now);

  @SqlUpdate("DELETE FROM budget_leases WHERE id = :id")
  int deleteLease(@Bind("id") String id);

  String SETTLE = "UPDATE budget_periods SET reserved_usd = reserved_usd - ?, spent_usd = spent_usd + ?"
      + " WHERE budget_id = ? AND counter_key = ? AND period_start = ?";
  String CHARGE_LEASE = "UPDATE budget_leases SET charged_usd = charged_usd + ?, covered_usd = covered_usd + ?,"
      + " renewed_at = ? WHERE id = ?";

  /**
   * Charges a finished call in the handle's transaction: to its lease (when {@code leaseId} is not
   * null and the lease still exists), a row only this instance writes, of which {@code covered} was
   * held for the call; else straight to the period's spend. Plain JDBC on the handle's connection:
   * attaching this DAO and binding through Jdbi cost several times the UPDATE, and every call of a
   * budgeted model makes one.
   */
  static void charge(Handle h, String leaseId, BigDecimal covered, long now, String budgetId, String counterKey,
      long periodStart, BigDecimal cost) throws SQLException {
    Connection connection = h.getConnection();
    if (leaseId != null) {
      try (PreparedStatement lease = connection.prepareStatement(CHARGE_LEASE)) {
        lease.setBigDecimal(1, cost);
        lease.setBigDecimal(2, covered);
        lease.setLong(3, now);
        lease.setString(4, leaseId);
        if (lease.executeUpdate() == 1) {
          return;
        }
      }
      // the lease was given back meanwhile, its whole amount taken out of the reservations already
    }
    try (PreparedStatement period = connection.prepareStatement(SETTLE)) {
      period.setBigDecimal(1, BigDecimal.ZERO);
      period.setBigDecimal(2, cost);
      period.setString(3, budgetId);
      period.setString(4, counterKey);
      period.setLong(5, periodStart);
      period.executeUpdate();
    }
  }

  @SqlUpdate("UPDATE budget_periods SET reserved_usd = reserved_usd - :held, spent_usd = spent_usd + :spent"
      + " WHERE budget_id = :budgetId AND counter_key = :counterKey AND period_start = :periodStart")
  int settle(@Bind("budgetId") String budgetId, @Bind("counterKey") String counterKey,
      @Bind("periodStart") long periodStart, @Bind("held") BigDecimal held, @Bind("spent") BigDecimal spent);

  /** Claims the alert of a threshold: 1 for the one caller that moves the mark past it, 0 for all others. */
  @SqlUpdate("UPDATE budget_periods SET alerted_pct = :pct WHERE budget_id = :budgetId AND counter_key = :counterKey"
      + " AND period_start = :periodStart AND alerted_pct < :pct")
  int claimAlert(@Bind("budgetId") String budgetId, @Bind("counterKey") String counterKey,
      @Bind("periodStart") long periodStart, @Bind("pct") int pct);

  @SqlQuery("SELECT spent_usd, reserved_usd FROM budget_periods WHERE budget_id = :budgetId"
      + " AND counter_key = :counterKey AND period_start = :periodStart")
  Optional<Spend> spend(@Bind("budgetId") String budgetId, @Bind("counterKey") String counterKey,
      @Bind("periodStart") long periodStart);

  /** Spent and reserved as they stand: with the charges that leases hold and have not folded yet. */
  @SqlQuery("SELECT COALESCE(SUM(spent_usd), 0) + (SELECT COALESCE(SUM(charged_usd), 0) FROM budget_leases"
      + " WHERE budget_id = :budgetId AND period_start = :periodStart) AS spent_usd,"
      + " COALESCE(SUM(reserved_usd), 0) - (SELECT COALESCE(SUM(covered_usd), 0) FROM budget_leases"
      + " WHERE budget_id = :budgetId AND period_start = :periodStart) AS reserved_usd"
      + " FROM budget_periods WHERE budget_id = :budgetId AND period_start = :periodStart")
  Spend periodTotal(@Bind("budgetId") String budgetId, @Bind("periodStart") long periodStart);

  @SqlQuery("SELECT id, budget_id, counter_key, period_start, amount_usd, instance_id, renewed_at"
      + " FROM budget_leases WHERE renewed_at < :before ORDER BY renewed_at LIMIT :limit")
  List<Lease> staleLeases(@Bind("before") long before, @Bind("limit") int limit);
}
