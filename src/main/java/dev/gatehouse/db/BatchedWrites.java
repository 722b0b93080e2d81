package dev.gatehouse.db;

import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The small writes every inference call makes (its usage record and the charges of its budgets)
 * for all concurrent calls, committed together by one {@link GroupCommit}: each call made commits of
 * its own, and commits, not statements, were the gateway's bottleneck. A write returns once its
 * transaction has committed.
 *
 * <p>A write is a list of steps that commit together. Steps in one transaction run in the order of
 * their lock keys (the row each one contends for), so that two instances' batches sharing a database
 * take row locks in the same order and never deadlock; steps without a contended row use the empty key.
 */
public final class BatchedWrites implements Managed {
  private final Jdbi jdbi;
  private final GroupCommit<List<Step>, List<Runnable>> group;

  /**
   * One statement or a few, on at most one contended row ({@code lockKey}); {@code work} answers
   * what to do once its transaction has committed (such as raising an alert), or null.
   */
  public record Step(String lockKey, Function<Handle, Runnable> work) {}

  private record Numbered(int write, Step step) {}

  public BatchedWrites(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.group = new GroupCommit<>("batched-writes", this::inOneTransaction,
        steps -> inOneTransaction(List.of(steps)).get(0));
  }

  /**
   * Commits {@code steps} in one transaction (shared with other writes), then runs what they asked
   * to run after the commit; throws when the transaction could not commit.
   */
  public void write(List<Step> steps) {
    if (steps.isEmpty()) {
      return;
    }
    for (Runnable afterCommit : group.submit(steps)) {
      afterCommit.run();
    }
  }

  private List<List<Runnable>> inOneTransaction(List<List<Step>> writes) {
    List<Numbered> steps = new ArrayList<>();
    List<List<Runnable>> afterCommit = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      for (Step step : writes.get(i)) {
        steps.add(new Numbered(i, step));
      }
      afterCommit.add(new ArrayList<>(1));
    }
    steps.sort(Comparator.comparing(numbered -> numbered.step().lockKey())); // stable: a write's own order holds
    jdbi.useTransaction(h -> {
      for (Numbered numbered : steps) {
        Runnable then = numbered.step().work().apply(h);
        if (then != null) {
          afterCommit.get(numbered.write()).add(then);
        }
      }
    });
    return afterCommit;
  }

  @Override
  public void start() {
    group.start();
  }

  @Override
  public void stop() throws InterruptedException {
    group.stop();
  }
}
