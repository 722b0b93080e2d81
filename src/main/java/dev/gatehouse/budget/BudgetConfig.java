package dev.gatehouse.budget;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code budgets:} part of the configuration. */
public class BudgetConfig {
  /**
   * The prompt estimate (jtokkit, o200k) is multiplied by this before a hard budget reserves for it:
   * other tokenizers (Claude's) and framing count more tokens than the estimate.
   */
  @DecimalMin("1.0")
  @JsonProperty
  private double promptMargin = 1.5;

  /** Tokens added to every prompt estimate (framing, a version's system prompt). */
  @Min(0)
  @JsonProperty
  private long promptSlackTokens = 64;

  /** Completion tokens reserved for when neither the client nor the version bounds them. */
  @Min(1)
  @JsonProperty
  private long maxCompletionTokens = 4096;

  /**
   * A lease (an instance's slice of a hard budget) not renewed for this long is given back by the
   * sweeper: its instance crashed or hung. Live instances renew theirs every quarter of it, and stop
   * taking from one not renewed for half of it, so instances' clocks must agree to better than that.
   */
  @NotNull
  @JsonProperty
  private Duration leaseTimeout = Duration.minutes(1);

  /** A lease no call has used for this long goes back to its budget, for other instances to use. */
  @NotNull
  @JsonProperty
  private Duration leaseIdle = Duration.seconds(1);

  /** A lease grows by the worst-case cost of this many calls, but never by more than half the room left. */
  @Min(1)
  @JsonProperty
  private int leaseCalls = 32;

  @NotNull
  @JsonProperty
  private Duration sweepInterval = Duration.seconds(15);

  /** How soon a budget created or changed on another instance applies here. */
  @NotNull
  @JsonProperty
  private Duration refreshInterval = Duration.seconds(2);

  /** Webhook attempts per alert, and the first wait between them (doubled each time). */
  @Min(1)
  @Max(10)
  @JsonProperty
  private int webhookAttempts = 4;

  @NotNull
  @JsonProperty
  private Duration webhookBackoff = Duration.seconds(1);

  @NotNull
  @JsonProperty
  private Duration webhookTimeout = Duration.seconds(5);

  public double getPromptMargin() {
    return promptMargin;
  }

  public long getPromptSlackTokens() {
    return promptSlackTokens;
  }

  public long getMaxCompletionTokens() {
    return maxCompletionTokens;
  }

  public Duration getLeaseTimeout() {
    return leaseTimeout;
  }

  public Duration getLeaseIdle() {
    return leaseIdle;
  }

  public int getLeaseCalls() {
    return leaseCalls;
  }

  public Duration getSweepInterval() {
    return sweepInterval;
  }

  public Duration getRefreshInterval() {
    return refreshInterval;
  }

  public int getWebhookAttempts() {
    return webhookAttempts;
  }

  public Duration getWebhookBackoff() {
    return webhookBackoff;
  }

  public Duration getWebhookTimeout() {
    return webhookTimeout;
  }
}
