package dev.gatehouse.gateway;

import dev.gatehouse.db.BatchedWrites;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.usage.UsageRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Who asks, for what, through which endpoint: what every usage record of the call repeats; plus
 * the headers the answer will carry and the permit the call's guard granted, settled exactly once.
 * {@code maxTokens} is the completion limit the client asked for, null when it set none; {@code tags}
 * the cost-attribution tags of its x-gatehouse-tags header (the key's defaults are added when recorded).
 */
public record CallContext(Caller caller, String requestId, String endpoint, String requested, boolean stream,
    boolean includeUsage, Long maxTokens, Meter meter, Map<String, String> responseHeaders,
    AtomicReference<CallGuard.Permit> permit, Map<String, String> tags) {

  public CallContext {
    tags = tags == null ? Map.of() : tags;
  }

  /**
   * Returns what the guard's permit holds when the call failed before any usage record was written
   * (a request refused after admission, such as an invalid max_tokens); after a settle it does nothing.
   */
  void release() {
    CallGuard.Permit held = permit.getAndSet(null);
    if (held != null) {
      held.release();
    }
  }

  /**
   * Settles the guard's permit against the call's usage record and answers the writes that charge
   * it (to commit with the record); later calls do nothing and answer none.
   */
  List<BatchedWrites.Step> settle(UsageRecord record) {
    CallGuard.Permit held = permit.getAndSet(null);
    return held == null ? List.of() : held.settle(record);
  }
}
