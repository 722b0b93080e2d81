package dev.gatehouse.budget;

import dev.gatehouse.api.BudgetsApi;
import dev.gatehouse.api.model.BudgetInfo;
import dev.gatehouse.api.model.CreateBudget;
import dev.gatehouse.api.model.ListBudgetsResponse;
import dev.gatehouse.api.model.UpdateBudget;
import dev.gatehouse.common.Money;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.quota.Scope;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class BudgetsResource implements BudgetsApi {
  private final BudgetService budgets;

  public BudgetsResource(BudgetService budgets) {
    this.budgets = budgets;
  }

  @Override
  public Response createBudget(CreateBudget r) {
    Scope scope = Scope.parse(r.getScopeType(), r.getScopeName(), r.getPerMember());
    var change = new BudgetService.Change(BudgetService.amount(r.getAmountUsd()),
        r.getPeriod() == null ? null : Period.parse(r.getPeriod()), r.getHard(), r.getAlertThresholds(),
        r.getWebhookUrl());
    return Response.ok(info(budgets.create(Callers.current(), scope, change))).build();
  }

  @Override
  public Response listBudgets(Integer maxResults, String pageToken) {
    var page = budgets.list(Callers.current(), PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListBudgetsResponse().budgets(page.items().stream().map(BudgetsResource::info).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getBudget(String id) {
    return Response.ok(info(budgets.get(Callers.current(), id))).build();
  }

  @Override
  public Response updateBudget(String id, UpdateBudget r) {
    var change = new BudgetService.Change(BudgetService.amount(r.getAmountUsd()), null, r.getHard(),
        r.getAlertThresholds(), r.getWebhookUrl());
    return Response.ok(info(budgets.update(Callers.current(), id, change))).build();
  }

  @Override
  public Response deleteBudget(String id) {
    budgets.delete(Callers.current(), id);
    return Response.ok(Map.of()).build();
  }

  static BudgetInfo info(BudgetService.View v) {
    BudgetRow b = v.row();
    return new BudgetInfo().id(b.id()).scopeType(b.scopeType()).scopeName(b.scopeName()).perMember(b.perMember())
        .amountUsd(Money.format(b.amountUsd())).period(b.period()).hard(b.hard())
        .alertThresholds(b.thresholds()).webhookUrl(b.webhookUrl()).periodStart(v.periodStart())
        .periodEnd(v.periodEnd()).spentUsd(Money.format(v.spend().spentUsd()))
        .reservedUsd(Money.format(v.spend().reservedUsd())).createdAt(b.createdAt()).createdBy(b.createdBy())
        .updatedAt(b.updatedAt());
  }
}
