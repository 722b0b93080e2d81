package dev.gatehouse;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gatehouse.audit.AuditConfig;
import dev.gatehouse.budget.BudgetConfig;
import dev.gatehouse.pricing.PricingConfig;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.ratelimit.RateLimitConfig;
import dev.gatehouse.lineage.LineageConfig;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

public class GatehouseConfiguration extends Configuration {
  @Valid
  @NotNull
  @JsonProperty
  private DatabaseConfig database = new DatabaseConfig();

  @Valid
  @NotNull
  @JsonProperty
  private SecurityConfig security = new SecurityConfig();

  @Valid
  @NotNull
  @JsonProperty
  private AuditConfig audit = new AuditConfig();

  @Valid
  @NotNull
  @JsonProperty
  private RateLimitConfig rateLimits = new RateLimitConfig();

  @Valid
  @NotNull
  @JsonProperty
  private PricingConfig pricing = new PricingConfig();

  @Valid
  @NotNull
  @JsonProperty
  private LineageConfig lineage = new LineageConfig();

  @Valid
  @NotNull
  @JsonProperty
  private BudgetConfig budgets = new BudgetConfig();

  public PricingConfig getPricing() {
    return pricing;
  }

  public BudgetConfig getBudgets() {
    return budgets;
  }

  /** Largest request body accepted on the catalog and admin APIs. */
  @Min(1024)
  @JsonProperty
  private long maxBodyBytes = 1024 * 1024;

  public DatabaseConfig getDatabase() {
    return database;
  }

  public SecurityConfig getSecurity() {
    return security;
  }

  public AuditConfig getAudit() {
    return audit;
  }

  public LineageConfig getLineage() {
    return lineage;
  }

  public RateLimitConfig getRateLimits() {
    return rateLimits;
  }

  /** Largest request body accepted on the inference endpoints (/v1). */
  @Min(1024)
  @JsonProperty
  private long maxInferenceBodyBytes = 32L * 1024 * 1024;

  /** On first start, seed the demo catalog and model (demo.llm.assistant on a MOCK connection). */
  @JsonProperty
  private boolean seedDemo = true;

  public boolean isSeedDemo() {
    return seedDemo;
  }

  public long getMaxInferenceBodyBytes() {
    return maxInferenceBodyBytes;
  }

  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }
}
