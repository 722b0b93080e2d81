package dev.gatehouse.db;

import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The small writes every inference call makes (its usage record, its budget holds and their
 * settlement) for all concurrent calls, committed together by one {@link GroupCommit}: each call
 * made three commits of its own, and commits, not statements, were the gateway's bottleneck. A
 * write returns once its transaction has committed.
 *
 * <p>Writes in one transaction run in the order of their lock keys (the row each one contends for),
 * so that two instances' batches sharing a database take row locks in the same order and never
 * deadlock; writes without a contended row use the empty key.
 */
public final class BatchedWrites implements Managed {
  private final Jdbi jdbi;
  private final GroupCommit<Write<?>, Object> group;

  private record Write<R>(String lockKey, Function<Handle, R> work) {}

  public BatchedWrites(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.group = new GroupCommit<>("batched-writes", this::inOneTransaction,
        write -> jdbi.inTransaction(write.work()::apply));
  }

  /** Runs {@code work} in a transaction shared with other writes; its result once committed. */
  @SuppressWarnings("unchecked")
  public <R> R write(String lockKey, Function<Handle, R> work) {
    return (R) group.submit(new Write<>(lockKey, work));
  }

  private List<Object> inOneTransaction(List<Write<?>> writes) {
    Integer[] order = new Integer[writes.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparing(i -> writes.get(i).lockKey()));
    return jdbi.inTransaction(h -> {
      Object[] results = new Object[writes.size()];
      for (int i : order) {
        results[i] = writes.get(i).work().apply(h);
      }
      return new ArrayList<>(Arrays.asList(results));
    });
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
