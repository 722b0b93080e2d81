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
  int delete(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM budgets WHERE id = :id")
  Optional<BudgetRow> find(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM budgets ORDER BY id")
  List<BudgetRow> all();
}
