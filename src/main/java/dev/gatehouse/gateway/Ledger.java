package dev.gatehouse.gateway;

import dev.gatehouse.common.Ids;
import dev.gatehouse.usage.UsageLedger;
import dev.gatehouse.usage.UsageRecord;
import java.time.Clock;

/** Turns a finished call into its usage record and settles what the call's guard held against it. */
public class Ledger {
  private final UsageLedger ledger;
  private final Clock clock;

  public Ledger(UsageLedger ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  /** Records the call's outcome; {@code target} and {@code upstream} are null when it never reached one. */
  public void record(CallContext call, Target target, ConnectionService.Upstream upstream, int status,
      String errorType) {
    Meter m = call.meter();
    UsageRecord record = new UsageRecord(Ids.newId(), call.requestId(), clock.millis(), call.caller().principalId(),
        call.caller().name(), call.caller().keyId(), call.endpoint(),
        target == null ? ModelRefs.modelPart(call.requested()) : target.modelFullName(),
        target == null ? null : target.version(), target == null ? null : target.alias(),
        upstream == null ? null : upstream.name(), upstream == null ? null : upstream.type().name(),
        target == null ? null : target.spec().upstreamModel(),
        m.promptTokens(), m.completionTokens(), m.cachedTokens(), m.cacheWriteTokens(), !m.reported(),
        m.elapsedMs(), m.ttftMs(), status, errorType, call.stream());
    try {
      ledger.record(record);
    } finally {
      // charged even when the record could not be written: the provider was paid either way
      call.settle(record);
    }
  }

  /**
   * Model names in records: the model part of what was asked, bounded, without NUL characters
   * (PostgreSQL refuses them in text, and the record of a refused call must still be written).
   */
  static final class ModelRefs {
    private ModelRefs() {}

    static String modelPart(String requested) {
      String name = requested == null ? "" : requested;
      int at = name.indexOf('@');
      name = at >= 0 ? name.substring(0, at) : name;
      name = name.replace('\0', '\uFFFD');
      return name.length() > 1024 ? name.substring(0, 1024) : name;
    }
  }
}
