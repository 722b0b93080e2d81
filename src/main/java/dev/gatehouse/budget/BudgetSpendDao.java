package dev.gatehouse.budget;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Spend per budget period and the reservations of running calls. Every change of a period row is
 * one UPDATE whose row lock serializes it against every other, on every instance sharing the
 * database; a reservation's admission is a conditional UPDATE that re-checks the limit under it.
 */
@RegisterConstructorMapper(BudgetSpendDao.Reservation.class)
@RegisterConstructorMapper(BudgetSpendDao.Spend.class)
public interface BudgetSpendDao {
  /** A hold of a running call on a hard budget's period. */
  record Reservation(String id, String budgetId, String counterKey, long periodStart, BigDecimal amountUsd,
      long createdAt, String instanceId, String requestId) {}

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

  @SqlUpdate("INSERT INTO budget_reservations (id, budget_id, counter_key, period_start, amount_usd, created_at,"
      + " instance_id, request_id) VALUES (:id, :budgetId, :counterKey, :periodStart, :amountUsd, :createdAt,"
      + " :instanceId, :requestId)")
  void insertReservation(@BindMethods Reservation reservation);

  /** 1 for the one caller (settle, release or sweeper) that takes the reservation; 0 for any other. */
  @SqlUpdate("DELETE FROM budget_reservations WHERE id = :id")
  int deleteReservation(@Bind("id") String id);

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

  @SqlQuery("SELECT COALESCE(SUM(spent_usd), 0) AS spent_usd, COALESCE(SUM(reserved_usd), 0) AS reserved_usd"
      + " FROM budget_periods WHERE budget_id = :budgetId AND period_start = :periodStart")
  Spend periodTotal(@Bind("budgetId") String budgetId, @Bind("periodStart") long periodStart);

  @SqlQuery("SELECT id, budget_id, counter_key, period_start, amount_usd, created_at, instance_id, request_id"
      + " FROM budget_reservations WHERE created_at < :before ORDER BY created_at LIMIT :limit")
  List<Reservation> olderThan(@Bind("before") long before, @Bind("limit") int limit);
}
