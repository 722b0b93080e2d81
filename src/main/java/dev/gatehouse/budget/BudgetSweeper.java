package dev.gatehouse.budget;

import dev.gatehouse.common.Daemons;
import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's budget leases (see {@link BudgetSpend#maintain}) every quarter of the idle
 * time, gives back every sweep interval the leases of any instance not renewed for the lease timeout
 * (the delete decides which sweeper takes each), and gives back this instance's leases on shutdown.
 */
public class BudgetSweeper implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetSweeper.class);
  private final BudgetSpend spend;
  private final long tickMillis;
  private final long sweepMillis;
  private final long leaseTimeoutMillis;
  private ScheduledExecutorService timer;

  public BudgetSweeper(BudgetSpend spend, long leaseIdleMillis, long sweepMillis, long leaseTimeoutMillis) {
    this.spend = spend;
    this.tickMillis = Math.max(10, Math.min(leaseIdleMillis, leaseTimeoutMillis / 4) / 4);
    this.sweepMillis = sweepMillis;
    this.leaseTimeoutMillis = leaseTimeoutMillis;
  }

  @Override
  public void start() {
    timer = Daemons.scheduler("budget-sweeper");
    timer.scheduleWithFixedDelay(() -> run("Budget lease upkeep", spend::maintain), tickMillis, tickMillis,
        TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(() -> run("Budget lease sweep", () -> spend.sweep(leaseTimeoutMillis)),
        sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  private static void run(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("{} failed; retried next time", what, e);
    }
  }

  @Override
  public void stop() throws InterruptedException {
    if (timer != null) {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }
    spend.giveBackAll();
  }
}
