package dev.gatehouse.pricing;

import dev.gatehouse.api.PricingApi;
import dev.gatehouse.api.model.PriceList;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The price list: read by anyone signed in, overridden by metastore admins. */
public class PricingResource implements PricingApi {
  private final PriceBook prices;
  private final PricingConfig config;

  public PricingResource(PriceBook prices, PricingConfig config) {
    this.prices = prices;
    this.config = config;
  }

  @Override
  public Response getPricing() {
    Callers.current();
    return Response.ok(list(prices.inForce())).build();
  }

  @Override
  public Response replacePriceOverrides(List<dev.gatehouse.api.model.PriceEntry> body) {
    List<PriceEntry> entries = body.stream().map(e -> PriceEntry.parse(e.getConnectionName(), e.getProvider(),
        e.getUpstreamModel(), e.getInputPerMillionUsd(), e.getOutputPerMillionUsd(),
        e.getCachedInputPerMillionUsd(), e.getCacheWritePerMillionUsd(), PriceEntry.OVERRIDE)).toList();
    return Response.ok(list(prices.replaceOverrides(Callers.current(), entries))).build();
  }

  private PriceList list(List<PriceEntry> entries) {
    return new PriceList().takenOn(prices.shipped().takenOn()).sources(prices.shipped().sources())
        .unpricedModels(config.getUnpricedModels())
        .prices(entries.stream().map(e -> new dev.gatehouse.api.model.PriceEntry()
            .connectionName(e.connectionName()).provider(e.provider()).upstreamModel(e.upstreamModel())
            .inputPerMillionUsd(e.input().toPlainString()).outputPerMillionUsd(e.output().toPlainString())
            .cachedInputPerMillionUsd(e.cachedInput().toPlainString())
            .cacheWritePerMillionUsd(e.cacheWrite().toPlainString()).source(e.source())).toList());
  }
}
