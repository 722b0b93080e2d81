package dev.gatehouse.budget;

import dev.gatehouse.common.Ids;
import java.math.BigDecimal;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One instance's slice of a hard budget's period. The slice is reserved in the database (a lease
 * row, and its amount inside the period's reserved_usd) and handed to calls from memory, so that a
 * call is admitted without a write. What a call spends is charged to the lease row (which only this
 * instance writes) in the transaction of its usage record, and folded into the period's spend at
 * the next upkeep tick; a budget's spend as shown counts both.
 *
 * <p>All fields are guarded by {@link #lock}. {@code free} + what running calls hold + charges not
 * yet committed = the lease row's amount (or less, after a charge failed: the lease then holds more
 * than it knows, until it is given back).
 */
final class BudgetLease {
  static final long QUICK_GROWTH_MILLIS = 1_000;
  static final int MAX_GROWTH_FACTOR = 64;

  final String id = Ids.newTimeOrderedId();
  final BudgetSpend.Counter counter;
  /** A lock, not a monitor: holders wait on the database, which would pin a virtual thread. */
  final ReentrantLock lock = new ReentrantLock();

  /** What a new call may take. */
  BigDecimal free = BigDecimal.ZERO;
  /** Spend was charged since the budget's thresholds were last checked (set once a charge commits). */
  volatile boolean charged;
  /** Calls holding part of the lease. */
  int calls;
  long lastUsedAt;
  /** When the row was last written; 0 while it does not exist yet. */
  long renewedAt;
  /** Given back, swept or found gone: no call may take from it any more. */
  volatile boolean ended;
  /** How many times leaseCalls' worst cases the lease grew by last time. */
  private int factor = 1;
  /** When it last grew; 0 before it first did. */
  private long grewAt;

  BudgetLease(BudgetSpend.Counter counter) {
    this.counter = counter;
  }

  /** A call's hold ends: {@code returned} of it is free again. */
  void endHold(BigDecimal returned, long now) {
    lock.lock();
    try {
      free = free.add(returned);
      calls--;
      lastUsedAt = now;
    } finally {
      lock.unlock();
    }
  }

  /**
   * By how many times leaseCalls' worst cases to grow now: twice as many as last time when the last
   * growth lasted less than a second, half as many when it lasted longer (at least one, at most
   * {@link #MAX_GROWTH_FACTOR}). Each growth is a write every call of the instance waits behind: a
   * busy lease would otherwise grow dozens of times a second when worst cases are near real costs.
   */
  int growthFactor(long now) {
    if (grewAt != 0) {
      factor = now - grewAt < QUICK_GROWTH_MILLIS ? Math.min(factor * 2, MAX_GROWTH_FACTOR) : Math.max(1, factor / 2);
    }
    grewAt = now;
    return factor;
  }

  boolean persisted() {
    return renewedAt != 0;
  }
}
