package dev.gatehouse.gateway;

import dev.gatehouse.common.CostTags;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.JsonText;
import dev.gatehouse.pricing.Price;
import dev.gatehouse.pricing.PriceBook;
import dev.gatehouse.usage.UsageLedger;
import dev.gatehouse.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a finished call into its usage record, costed at the price in force, with its tags and its
 * caller's groups, and settles what the call's guard held against it.
 */
public class Ledger {
  /** The stored group list (VARCHAR(4000)) keeps the groups that fit; a caller in more is rare. */
  static final int MAX_GROUPS_TEXT = 4000;

  private final UsageLedger ledger;
  private final Clock clock;
  private final PriceBook prices;
  private final Function<String, Map<String, String>> keyTags;

  /** {@code keyTags}: an API key's default cost tags by key id (empty when it has none). */
  public Ledger(UsageLedger ledger, Clock clock, PriceBook prices, Function<String, Map<String, String>> keyTags) {
    this.ledger = ledger;
    this.clock = clock;
    this.prices = prices;
    this.keyTags = keyTags;
  }

  /** Records the call's outcome; {@code target} and {@code upstream} are null when it never reached one. */
  public void record(CallContext call, Target target, ConnectionService.Upstream upstream, int status,
      String errorType) {
    Meter m = call.meter();
    // A call that reached no provider cost nothing; one that did is charged at the price in force.
    Optional<Price> price = upstream == null ? Optional.empty()
        : prices.find(upstream.name(), target.spec().upstreamModel());
    BigDecimal cost = price.map(p -> p.cost(m.promptTokens(), m.completionTokens(), m.cachedTokens(),
        m.cacheWriteTokens())).orElse(null);
    UsageRecord record = new UsageRecord(Ids.newTimeOrderedId(), call.requestId(), clock.millis(),
        call.caller().principalId(), call.caller().name(), call.caller().keyId(), call.endpoint(),
        target == null ? ModelRefs.modelPart(call.requested()) : target.modelFullName(),
        target == null ? null : target.version(), target == null ? null : target.alias(),
        upstream == null ? null : upstream.name(), upstream == null ? null : upstream.type().name(),
        target == null ? null : target.spec().upstreamModel(),
        m.promptTokens(), m.completionTokens(), m.cachedTokens(), m.cacheWriteTokens(), !m.reported(),
        m.elapsedMs(), m.ttftMs(), status, errorType, call.stream(), cost == null ? Price.ZERO : cost,
        price.map(Price::describe).orElse(null), upstream != null && price.isEmpty(), tags(call), groups(call));
    ledger.record(record, call.settle(record));
  }

  private String tags(CallContext call) {
    String keyId = call.caller().keyId();
    Map<String, String> tags = CostTags.merge(keyId == null ? Map.of() : keyTags.apply(keyId), call.tags());
    return tags.isEmpty() ? null : JsonText.write(tags);
  }

  private static String groups(CallContext call) {
    List<String> kept = new ArrayList<>();
    int length = 2;
    for (String group : new TreeSet<>(call.caller().groupNames())) {
      length += group.length() + 3;
      if (length > MAX_GROUPS_TEXT) {
        break;
      }
      kept.add(group);
    }
    return kept.isEmpty() ? null : JsonText.write(kept);
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
