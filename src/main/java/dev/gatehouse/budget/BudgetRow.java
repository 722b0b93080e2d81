package dev.gatehouse.budget;

import dev.gatehouse.quota.Scope;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A budget as stored; {@code alertThresholds} is a comma-separated list of percentages, ascending. */
public record BudgetRow(String id, String scopeType, String scopeName, boolean perMember, BigDecimal amountUsd,
    String period, boolean hard, String alertThresholds, String webhookUrl, long createdAt, String createdBy,
    long updatedAt) {

  public Scope scope() {
    return new Scope(Scope.Type.valueOf(scopeType.toUpperCase(Locale.ROOT)), scopeName, perMember);
  }

  public Period periodKind() {
    return Period.valueOf(period.toUpperCase(Locale.ROOT));
  }

  public List<Integer> thresholds() {
    return alertThresholds.isEmpty() ? List.of()
        : Arrays.stream(alertThresholds.split(",")).map(Integer::valueOf).toList();
  }
}
