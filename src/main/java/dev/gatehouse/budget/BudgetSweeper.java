package dev.gatehouse.budget;

import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases, every sweep interval, the reservations older than the reservation timeout: holds of
 * calls whose instance crashed before settling them. Any instance may sweep any instance's holds;
 * the delete decides which one releases each.
 */
public class BudgetSweeper implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetSweeper.class);
  private final BudgetSpend spend;
  private final long intervalMillis;
  private final long maxAgeMillis;
  private ScheduledExecutorService timer;

  public BudgetSweeper(BudgetSpend spend, long intervalMillis, long maxAgeMillis) {
    this.spend = spend;
    this.intervalMillis = intervalMillis;
    this.maxAgeMillis = maxAgeMillis;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "budget-sweeper");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        spend.sweep(maxAgeMillis);
      } catch (RuntimeException e) {
        LOG.error("Budget reservation sweep failed; retried next interval", e);
      }
    }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
