package dev.gatehouse.gateway;

import dev.gatehouse.db.BatchedWrites;
import dev.gatehouse.usage.UsageRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, after routing and before any provider is called, whether a call may go ahead (rate
 * limits, budgets), and settles what it held once the call's usage is known. A refusal is a
 * {@link GatewayException} (429); the guard may add response headers (x-ratelimit-*, Retry-After)
 * to {@link CallContext#responseHeaders()} whether it admits or refuses.
 */
public interface CallGuard {
  CallGuard NONE = (call, targets) -> Permit.NONE;

  /** Admits the call to {@code targets} (in fallback order, never empty) or throws. */
  Permit admit(CallContext call, List<Target> targets);

  /** What an admitted call holds (reserved tokens, reserved money) until it is settled. */
  interface Permit {
    Permit NONE = new Permit() {
      @Override
      public List<BatchedWrites.Step> settle(UsageRecord record) {
        return List.of();
      }

      @Override
      public void release() {}
    };

    /**
     * The call ended with this usage record: returns what it did not use, and answers the writes
     * that charge it, which the ledger commits in one transaction with the record.
     */
    List<BatchedWrites.Step> settle(UsageRecord record);

    /** The call never reached a provider and left no usage to charge: return everything held. */
    void release();
  }

  /** Guards applied one after the other; a refusal releases what the earlier ones granted. */
  static CallGuard all(List<CallGuard> guards) {
    return (call, targets) -> {
      List<Permit> granted = new ArrayList<>(guards.size());
      try {
        for (CallGuard guard : guards) {
          granted.add(guard.admit(call, targets));
        }
      } catch (RuntimeException refused) {
        granted.forEach(Permit::release);
        throw refused;
      }
      return new Permit() {
        @Override
        public List<BatchedWrites.Step> settle(UsageRecord record) {
          List<BatchedWrites.Step> charges = new ArrayList<>();
          granted.forEach(permit -> charges.addAll(permit.settle(record)));
          return charges;
        }

        @Override
        public void release() {
          granted.forEach(Permit::release);
        }
      };
    };
  }
}
