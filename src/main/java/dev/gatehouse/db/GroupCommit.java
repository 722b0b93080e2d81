package dev.gatehouse.db;

import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Group commit: the work of many concurrent requests done in one transaction by one thread. A
 * commit, not the statements before it, is what a small write costs (a page write on H2, a WAL
 * flush on PostgreSQL); when every inference call makes a few, they are the gateway's bottleneck.
 * The thread takes everything submitted while it ran the last batch, so under load each commit
 * carries many items while a lone request waits for no one. {@link #submit} returns the item's
 * result once its batch has committed, so nothing is acknowledged before it is durable.
 *
 * <p>A batch that fails is rolled back whole and its items are done again one at a time, so a bad
 * item fails only its own request. Before {@link #start} and after {@link #stop} items are done
 * one at a time on the caller's thread (commands, tests, shutdown).
 *
 * @param <T> an item of work
 * @param <R> its result
 */
public final class GroupCommit<T, R> implements Managed {
  private static final int MAX_BATCH = 256;
  /** How long stopping waits for the batch under way. */
  private static final long MAX_WAIT_MS = 60_000;

  private final String name;
  private final Function<List<T>, List<R>> batch;
  private final Function<T, R> single;
  private final Object lock = new Object();
  private List<Pending<T, R>> queue = new ArrayList<>();  // guarded by lock
  private boolean running;  // guarded by lock
  private Thread worker;

  private record Pending<T, R>(T item, CompletableFuture<R> result) {}

  /**
   * {@code batch} does the items in one transaction and answers their results in order; {@code
   * single} does one item in its own transaction. Either throws to roll back.
   */
  public GroupCommit(String name, Function<List<T>, List<R>> batch, Function<T, R> single) {
    this.name = name;
    this.batch = batch;
    this.single = single;
  }

  /** The item's result once committed; rethrows what doing it threw. */
  public R submit(T item) {
    Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
    boolean queued;
    synchronized (lock) {
      queued = running;
      if (queued) {
        queue.add(pending);
        lock.notifyAll();
      }
    }
    if (!queued) {
      return single.apply(item);
    }
    // Untimed, as every other write waits for its database: a timed wait on a virtual thread puts a
    // timer into the scheduler and takes it out again; with the gateway's wait for an upstream
    // head, that was 9.5% of a gateway call's CPU samples (bench/gateway/README.md).
    try {
      return pending.result.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while waiting for the commit");
    }
  }

  private void run() {
    while (true) {
      List<Pending<T, R>> taken;
      synchronized (lock) {
        while (running && queue.isEmpty()) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            running = false;
          }
        }
        if (queue.isEmpty()) {
          return;  // stopped, and everything queued is done
        }
        if (queue.size() <= MAX_BATCH) {
          taken = queue;
          queue = new ArrayList<>();
        } else {
          taken = new ArrayList<>(queue.subList(0, MAX_BATCH));
          queue.subList(0, MAX_BATCH).clear();
        }
      }
      if (taken.size() == 1 || !doBatch(taken)) {
        taken.forEach(this::doAlone);
      }
    }
  }

  private boolean doBatch(List<Pending<T, R>> taken) {
    List<R> results;
    try {
      results = batch.apply(taken.stream().map(Pending::item).toList());
    } catch (RuntimeException e) {
      return false;
    }
    for (int i = 0; i < taken.size(); i++) {
      taken.get(i).result.complete(results.get(i));
    }
    return true;
  }

  private void doAlone(Pending<T, R> pending) {
    try {
      pending.result.complete(single.apply(pending.item));
    } catch (RuntimeException e) {
      pending.result.completeExceptionally(e);
    }
  }

  @Override
  public void start() {
    synchronized (lock) {
      running = true;
    }
    worker = new Thread(this::run, name);
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public void stop() throws InterruptedException {
    synchronized (lock) {
      running = false;
      lock.notifyAll();
    }
    if (worker != null) {
      worker.join(MAX_WAIT_MS);
    }
  }
}
