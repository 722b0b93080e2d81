package dev.gatehouse.ratelimit;

import dev.gatehouse.db.BatchedWrites;
import dev.gatehouse.gateway.CallContext;
import dev.gatehouse.gateway.CallGuard;
import dev.gatehouse.gateway.GatewayException;
import dev.gatehouse.gateway.Target;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.models.ServingSpec;
import dev.gatehouse.usage.UsageRecord;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces every rule that covers a call, before any provider is called: one request from each
 * request bucket, the call's worst-case tokens (prompt estimate plus the most it may complete) from
 * each token bucket. The first bucket that cannot give refuses the call with 429, and what the
 * buckets before it gave is put back, so a refused call costs nothing. Once the call's usage is
 * recorded, each token bucket is settled to the tokens really used: the unused reservation goes back,
 * an overrun is taken even into debt (the next calls then wait for it).
 */
public class RateLimitGuard implements CallGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitGuard.class);

  private final RateLimitRules rules;
  private final BucketStore buckets;
  private final long defaultMaxTokens;

  public RateLimitGuard(RateLimitRules rules, BucketStore buckets, long defaultMaxTokens) {
    this.rules = rules;
    this.buckets = buckets;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  /** What a call took from one bucket, and what the bucket's limits had left after it. */
  private record Hold(Bucket bucket, Limit.Kind kind, List<Limit> limits, long[] available, long amount) {}

  @Override
  public Permit admit(CallContext call, List<Target> targets) {
    List<RateLimitRule> covering = rules.covering(call.caller(), targets.get(0).modelFullName());
    if (covering.isEmpty()) {
      return Permit.NONE;
    }
    long reservation = reservation(call, targets);
    List<Hold> held = new ArrayList<>();
    for (RateLimitRule rule : covering) {
      for (Limit.Kind kind : Limit.Kind.values()) {
        List<Limit> limits = rule.limits(kind);
        if (limits.isEmpty()) {
          continue;
        }
        // A reservation larger than the smallest limit could never fit: it waits for a full bucket instead.
        long amount = kind == Limit.Kind.REQUESTS ? 1 : Math.min(reservation, smallest(limits));
        Bucket bucket;
        VerboseResult<ConsumptionProbe> result;
        try {
          bucket = buckets.bucket(key(rule, kind, call.caller()), configuration(limits));
          result = bucket.asVerbose().tryConsumeAndReturnRemaining(amount);
        } catch (RuntimeException e) {
          giveBack(held);
          LOG.error("Rate-limit bucket unavailable; call refused", e);
          throw new GatewayException(503, "api_error", "rate_limiter_unavailable",
              "Rate limits cannot be checked right now; retry shortly.", null);
        }
        long[] available = result.getDiagnostics().getAvailableTokensPerEachBandwidth();
        if (!result.getValue().isConsumed()) {
          giveBack(held);
          List<Hold> refused = new ArrayList<>(held);
          refused.add(new Hold(bucket, kind, limits, available, 0));
          headers(call, refused, true);
          throw refusal(call, rule, kind, limits, available, amount, result.getValue().getNanosToWaitForRefill());
        }
        held.add(new Hold(bucket, kind, limits, available, amount));
      }
    }
    headers(call, held, false);
    return new RatePermit(held);
  }

  /** Worst-case tokens of the call: the prompt as counted, plus the most any of its targets may complete. */
  long reservation(CallContext call, List<Target> targets) {
    long prompt = call.meter().promptTokens();
    if ("embeddings".equals(call.endpoint())) {
      return Math.max(1, prompt);
    }
    long completion = 0;
    for (Target target : targets) {
      completion = Math.max(completion, maxCompletion(call.maxTokens(), target.spec()));
    }
    return Math.max(1, prompt + completion);
  }

  /** As the gateway sends it: the client's max_tokens clamped to the cap, else the default, the cap, ours. */
  private long maxCompletion(Long asked, ServingSpec spec) {
    Long cap = spec.maxTokensCap();
    if (asked != null) {
      return cap != null ? Math.min(asked, cap) : asked;
    }
    if (spec.defaultMaxTokens() != null) {
      return spec.defaultMaxTokens();
    }
    return cap != null ? cap : defaultMaxTokens;
  }

  private static long smallest(List<Limit> limits) {
    long smallest = Long.MAX_VALUE;
    for (Limit limit : limits) {
      smallest = Math.min(smallest, limit.limit());
    }
    return smallest;
  }

  private static String key(RateLimitRule rule, Limit.Kind kind, Caller caller) {
    return "rl/" + rule.id() + "/" + rule.revision() + "/" + kind.wire() + "/" + rule.scope().counterKey(caller);
  }

  /** One bandwidth per limit, refilled steadily (as OpenAI's limits replenish), starting full. */
  private static BucketConfiguration configuration(List<Limit> limits) {
    ConfigurationBuilder builder = BucketConfiguration.builder();
    for (Limit limit : limits) {
      builder.addLimit(b -> b.capacity(limit.limit()).refillGreedy(limit.limit(), limit.per().period()));
    }
    return builder.build();
  }

  /** Puts back what the buckets before a refusal gave. */
  private static void giveBack(List<Hold> held) {
    for (Hold hold : held) {
      try {
        hold.bucket().addTokens(hold.amount());
      } catch (RuntimeException e) {
        LOG.warn("Could not return {} {} to a rate-limit bucket", hold.amount(), hold.kind().wire(), e);
      }
    }
  }

  /** The x-ratelimit-* headers from what the buckets said; after a refusal, with what was given back. */
  private static void headers(CallContext call, List<Hold> holds, boolean givenBack) {
    Map<Limit.Kind, List<RateLimitHeaders.Seen>> seen = new EnumMap<>(Limit.Kind.class);
    for (Hold hold : holds) {
      List<RateLimitHeaders.Seen> list = seen.computeIfAbsent(hold.kind(), k -> new ArrayList<>());
      for (int i = 0; i < hold.limits().size(); i++) {
        list.add(new RateLimitHeaders.Seen(hold.limits().get(i),
            hold.available()[i] + (givenBack ? hold.amount() : 0)));
      }
    }
    seen.forEach((kind, list) -> RateLimitHeaders.put(call.responseHeaders(), kind, list));
  }

  private static GatewayException refusal(CallContext call, RateLimitRule rule, Limit.Kind kind, List<Limit> limits,
      long[] available, long amount, long nanosToWait) {
    Limit binding = limits.get(0);
    long left = available[0];
    for (int i = 0; i < limits.size(); i++) {
      if (available[i] < amount) {
        binding = limits.get(i);
        left = available[i];
        break;
      }
    }
    long wait = Math.min(nanosToWait, binding.per().period().toNanos());
    call.responseHeaders().put("Retry-After", RateLimitHeaders.retryAfter(wait));
    String scope = rule.scope().type().wire() + (rule.scope().name() == null ? "" : " '" + rule.scope().name() + "'")
        + (rule.scope().perMember() ? " (per member)" : "");
    return new GatewayException(429, "rate_limit_exceeded", "rate_limit_" + kind.wire(),
        "Rate limit reached for " + kind.wire() + " per " + binding.per().wire() + " on " + scope + ": limit "
            + binding.limit() + ", remaining " + Math.max(0, left) + ", requested " + amount + ". Try again in "
            + RateLimitHeaders.duration(wait) + ".", null);
  }

  /** The buckets a call drew from, settled against its usage record or released, exactly once. */
  private static final class RatePermit implements Permit {
    private final List<Hold> held;
    private final AtomicBoolean done = new AtomicBoolean();

    RatePermit(List<Hold> held) {
      this.held = held;
    }

    /**
     * Requests stay counted: the call was admitted. Tokens move to what the record says was used;
     * a record that reached no provider used none.
     */
    @Override
    public List<BatchedWrites.Step> settle(UsageRecord record) {
      if (!done.compareAndSet(false, true)) {
        return List.of();
      }
      long used = record.connectionName() == null ? 0 : record.promptTokens() + record.completionTokens();
      for (Hold hold : held) {
        if (hold.kind() != Limit.Kind.TOKENS) {
          continue;
        }
        // the reservation may have been cut to a small limit; the difference is measured from what was taken
        long difference = hold.amount() - used;
        try {
          if (difference > 0) {
            hold.bucket().addTokens(difference);
          } else if (difference < 0) {
            hold.bucket().consumeIgnoringRateLimits(-difference);
          }
        } catch (RuntimeException e) {
          LOG.warn("Could not settle a rate-limit token bucket ({} tokens)", difference, e);
        }
      }
      return List.of(); // the buckets live in memory, or in their own table on PostgreSQL
    }

    @Override
    public void release() {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      for (Hold hold : held) {
        try {
          hold.bucket().addTokens(hold.amount());
        } catch (RuntimeException e) {
          LOG.warn("Could not release a rate-limit bucket", e);
        }
      }
    }
  }
}
