package dev.gatehouse.ratelimit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Locale;

public class RateLimitConfig {
  /** Where buckets live: {@code auto} (the database on PostgreSQL, memory on H2), {@code local} or {@code database}. */
  public enum Store { AUTO, LOCAL, DATABASE }

  @NotNull
  @JsonProperty
  private String store = "auto";

  /** How long an instance may use rules read before a change made through another instance. */
  @NotNull
  @JsonProperty
  private Duration rulesCacheTtl = Duration.seconds(1);

  /** Completion tokens reserved when neither the request nor the model version bounds them. */
  @Min(1)
  @JsonProperty
  private long defaultMaxTokens = 4096;

  /** Connections of the bucket store's own pool (PostgreSQL store only). */
  @Min(1)
  @Max(1000)
  @JsonProperty
  private int poolSize = 8;

  public Store getStore() {
    try {
      return Store.valueOf(store.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rateLimits.store must be auto, local or database, not '" + store + "'");
    }
  }

  public java.time.Duration getRulesCacheTtl() {
    return java.time.Duration.ofMillis(rulesCacheTtl.toMilliseconds());
  }

  public long getDefaultMaxTokens() {
    return defaultMaxTokens;
  }

  public int getPoolSize() {
    return poolSize;
  }
}
