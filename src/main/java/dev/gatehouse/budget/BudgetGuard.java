package dev.gatehouse.budget;

import dev.gatehouse.db.BatchedWrites;
import dev.gatehouse.gateway.CallContext;
import dev.gatehouse.gateway.CallGuard;
import dev.gatehouse.gateway.GatewayException;
import dev.gatehouse.gateway.Target;
import dev.gatehouse.models.ServingSpec;
import dev.gatehouse.pricing.Price;
import dev.gatehouse.pricing.PriceBook;
import dev.gatehouse.quota.Scope;
import dev.gatehouse.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies every budget that covers a call. A hard one holds the call's worst-case cost before any
 * provider is called (from this instance's lease on the budget: see {@link BudgetSpend}) and is
 * charged the actual cost with the call's usage record; a hold that does not fit refuses the call
 * with 429 insufficient_quota. Soft ones only add the actual cost and alert.
 * Spend stays within a hard budget as long as the worst case bounds the actual cost; a provider that
 * bills more (a prompt far beyond its text estimate) is charged all the same, since it was paid.
 */
public class BudgetGuard implements CallGuard {
  private final BudgetService budgets;
  private final BudgetSpend spend;
  private final PriceBook prices;
  private final BudgetConfig config;
  private final Clock clock;

  public BudgetGuard(BudgetService budgets, BudgetSpend spend, PriceBook prices, BudgetConfig config, Clock clock) {
    this.budgets = budgets;
    this.spend = spend;
    this.prices = prices;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Permit admit(CallContext call, List<Target> targets) {
    List<BudgetSpend.Counter> hard = new ArrayList<>();
    List<BudgetSpend.Counter> soft = new ArrayList<>();
    long now = clock.millis();
    for (BudgetRow budget : budgets.active()) {
      Scope scope = budget.scope();
      if (targets.stream().anyMatch(t -> scope.covers(call.caller(), t.modelFullName()))) {
        var counter = new BudgetSpend.Counter(budget, scope.counterKey(call.caller()),
            budget.periodKind().start(now));
        (budget.hard() ? hard : soft).add(counter);
      }
    }
    if (hard.isEmpty() && soft.isEmpty()) {
      return Permit.NONE;
    }
    List<BudgetSpend.Hold> holds = new ArrayList<>(hard.size());
    if (!hard.isEmpty()) {
      BigDecimal worst = worstCase(call, targets);
      // one order for every call, so that two calls never wait on each other's rows in turn
      hard.sort(Comparator.comparing(c -> c.budget().id()));
      for (BudgetSpend.Counter counter : hard) {
        BudgetSpend.Hold hold = spend.reserve(counter, worst);
        if (hold == null) {
          holds.forEach(spend::release);
          throw refusal(counter, worst);
        }
        if (hold != BudgetSpend.GONE) {
          holds.add(hold);
        }
      }
    }
    return new Permit() {
      @Override
      public List<BatchedWrites.Step> settle(UsageRecord record) {
        return spend.charge(holds, soft, record.costUsd());
      }

      @Override
      public void release() {
        holds.forEach(spend::release);
      }
    };
  }

  /**
   * The most the call can cost: over the versions it may go to, the prompt estimate with a margin
   * (other tokenizers count more) at the dearest input rate, plus the completion it may produce:
   * the client's max_tokens (clamped to the version's cap), else the version's default or cap,
   * else the configured ceiling. A model without a price (allowed by pricing.unpricedModels) costs 0.
   */
  BigDecimal worstCase(CallContext call, List<Target> targets) {
    long prompt = (long) Math.ceil(call.meter().promptTokens() * config.getPromptMargin())
        + config.getPromptSlackTokens();
    BigDecimal worst = Price.ZERO;
    for (Target target : targets) {
      Price price = prices.find(target.spec().connectionName(), target.spec().upstreamModel()).orElse(null);
      if (price != null) {
        worst = worst.max(price.worstCase(prompt, completionBound(call, target.spec())));
      }
    }
    return worst;
  }

  private long completionBound(CallContext call, ServingSpec spec) {
    if ("embeddings".equals(call.endpoint())) {
      return 0;
    }
    if (call.maxTokens() != null) {
      return spec.maxTokensCap() == null ? call.maxTokens() : Math.min(call.maxTokens(), spec.maxTokensCap());
    }
    if (spec.defaultMaxTokens() != null) {
      return spec.defaultMaxTokens();
    }
    return spec.maxTokensCap() != null ? spec.maxTokensCap() : config.getMaxCompletionTokens();
  }

  private static GatewayException refusal(BudgetSpend.Counter counter, BigDecimal worst) {
    BudgetRow b = counter.budget();
    String scope = b.scopeType() + (b.scopeName() == null ? "" : " " + b.scopeName());
    return new GatewayException(429, "insufficient_quota", "insufficient_quota", "The " + b.period()
        + " budget of " + b.amountUsd().stripTrailingZeros().toPlainString() + " USD for " + scope + " (budget "
        + b.id() + ") cannot cover this call, which could cost up to " + worst.stripTrailingZeros().toPlainString()
        + " USD.", null);
  }
}
