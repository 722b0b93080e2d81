package dev.gatehouse.pricing;

import dev.gatehouse.gateway.CallContext;
import dev.gatehouse.gateway.CallGuard;
import dev.gatehouse.gateway.GatewayException;
import dev.gatehouse.gateway.Target;
import java.util.List;

/**
 * Refuses, before any provider is called, a call that could reach a model without a price (when
 * pricing.unpricedModels is deny): what cannot be costed cannot be budgeted or reported.
 */
public class PricingGuard implements CallGuard {
  private final PriceBook prices;

  public PricingGuard(PriceBook prices) {
    this.prices = prices;
  }

  @Override
  public Permit admit(CallContext call, List<Target> targets) {
    for (Target target : targets) {
      String connection = target.spec().connectionName();
      String model = target.spec().upstreamModel();
      if (prices.find(connection, model).isEmpty()) {
        throw new GatewayException(403, "invalid_request_error", "model_not_priced", "The model '"
            + call.requested() + "' has no price (upstream model '" + model + "' on connection '" + connection
            + "'), so it cannot be called: an administrator must price it (PUT /api/1.0/gatehouse/pricing).",
            "model");
      }
    }
    return Permit.NONE;
  }
}
