package dev.gatehouse.pricing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The {@code pricing:} part of the configuration. */
public class PricingConfig {
  /** deny: a call to a model without a price is refused before any provider is called; allow: let through, record flagged. */
  @NotNull
  @Pattern(regexp = "deny|allow")
  @JsonProperty
  private String unpricedModels = "deny";

  /** How soon an override made on another instance applies here. */
  @NotNull
  @JsonProperty
  private Duration refreshInterval = Duration.seconds(5);

  public boolean denyUnpriced() {
    return "deny".equals(unpricedModels);
  }

  public String getUnpricedModels() {
    return unpricedModels;
  }

  public Duration getRefreshInterval() {
    return refreshInterval;
  }
}
