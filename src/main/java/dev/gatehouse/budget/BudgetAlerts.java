package dev.gatehouse.budget;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.common.Daemons;
import dev.gatehouse.common.Money;
import io.dropwizard.lifecycle.Managed;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells that a budget crossed an alert threshold: an audit event (actor system) and a POST to the
 * budget's webhook, retried with doubling waits. All of it runs on two threads of its own, never
 * on the call that crossed the threshold; at most {@link #MAX_PENDING} alerts wait, more are dropped
 * (and logged) rather than let a dead webhook pile up memory.
 */
public class BudgetAlerts implements Managed {
  static final int MAX_PENDING = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(BudgetAlerts.class);

  private final AuditLog audit;
  private final ObjectMapper json;
  private final int attempts;
  private final long backoffMillis;
  private final Duration timeout;
  private final HttpClient http;
  private final AtomicInteger pending = new AtomicInteger();
  private final ScheduledExecutorService executor = Daemons.scheduler("budget-alerts", 2);

  /** One crossing of one threshold. */
  public record Alert(BudgetRow budget, String counterKey, long periodStart, int thresholdPct, BigDecimal spentUsd) {}

  public BudgetAlerts(AuditLog audit, ObjectMapper json, int attempts, Duration backoff, Duration timeout) {
    this.audit = audit;
    this.json = json;
    this.attempts = attempts;
    this.backoffMillis = backoff.toMillis();
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Queues the alert; returns at once. */
  public void crossed(Alert alert) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      LOG.error("Budget alert dropped, {} already waiting: budget {} at {}%", MAX_PENDING, alert.budget().id(),
          alert.thresholdPct());
      return;
    }
    executor.execute(() -> {
      try {
        audit.appendSystem("budget", "budgetThresholdCrossed", "budget", alert.budget().id(), details(alert));
      } catch (RuntimeException e) {
        LOG.error("Could not write the audit event of budget alert {} at {}%", alert.budget().id(),
            alert.thresholdPct(), e);
      }
      if (alert.budget().webhookUrl() == null) {
        pending.decrementAndGet();
      } else {
        post(alert, body(alert), 1);
      }
    });
  }

  private void post(Alert alert, byte[] body, int attempt) {
    boolean delivered = false;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(alert.budget().webhookUrl())).timeout(timeout)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      delivered = status >= 200 && status < 300;
      if (!delivered) {
        LOG.warn("Budget webhook of {} answered {} (attempt {} of {})", alert.budget().id(), status, attempt, attempts);
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      LOG.warn("Budget webhook of {} failed (attempt {} of {}): {}", alert.budget().id(), attempt, attempts,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (delivered || attempt >= attempts || executor.isShutdown()) {
      pending.decrementAndGet();
      if (!delivered) {
        LOG.error("Budget webhook of {} given up after {} attempts", alert.budget().id(), attempt);
      }
      return;
    }
    long wait = backoffMillis << (attempt - 1);
    executor.schedule(() -> post(alert, body, attempt + 1), wait, TimeUnit.MILLISECONDS);
  }

  private Map<String, Object> details(Alert alert) {
    Map<String, Object> details = new LinkedHashMap<>();
    BudgetRow b = alert.budget();
    details.put("budget_id", b.id());
    details.put("scope_type", b.scopeType());
    if (b.scopeName() != null) {
      details.put("scope_name", b.scopeName());
    }
    details.put("counter", alert.counterKey());
    details.put("period", b.period());
    details.put("period_start", alert.periodStart());
    details.put("threshold_pct", alert.thresholdPct());
    details.put("amount_usd", Money.format(b.amountUsd()));
    details.put("spent_usd", Money.format(alert.spentUsd()));
    details.put("hard", b.hard());
    return details;
  }

  private byte[] body(Alert alert) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "budget.threshold_crossed");
    body.putAll(details(alert));
    try {
      return json.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    executor.shutdownNow();
  }
}
