package dev.gatehouse.budget;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(BudgetRow.class)
public interface BudgetDao {
  String COLUMNS = "id, scope_type, scope_name, per_member, amount_usd, period, hard, alert_thresholds, webhook_url,"
      + " created_at, created_by, updated_at";

  @SqlUpdate("INSERT INTO budgets (" + COLUMNS + ") VALUES (:id, :scopeType, :scopeName, :perMember, :amountUsd,"
      + " :period, :hard, :alertThresholds, :webhookUrl, :createdAt, :createdBy, :updatedAt)")
  void insert(@BindMethods BudgetRow row);

  @SqlUpdate("UPDATE budgets SET amount_usd = :amountUsd, period = :period, hard = :hard,"
      + " alert_thresholds = :alertThresholds, webhook_url = :webhookUrl, updated_at = :updatedAt WHERE id = :id")
  int update(@BindMethods BudgetRow row);

  @SqlUpdate("DELETE FROM budgets WHERE id = :id")
  int deleteBudget(@Bind("id") String id);

  @SqlUpdate("DELETE FROM budget_leases WHERE budget_id = :id")
  void deleteLeases(@Bind("id") String id);

  /**
   * Deletes the budget with its periods and leases. The leases go first: a cascade from the budget
   * would lock a period row before its leases, the reverse of the order the calls' charges and the
   * instances' lease upkeep lock them in, and two instances could deadlock on the pair.
   */
  default int delete(String id) {
    deleteLeases(id);
    return deleteBudget(id);
  }

  @SqlQuery("SELECT " + COLUMNS + " FROM budgets WHERE id = :id")
  Optional<BudgetRow> find(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM budgets ORDER BY id")
  List<BudgetRow> all();
}
