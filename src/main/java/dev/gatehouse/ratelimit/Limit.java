package dev.gatehouse.ratelimit;

import dev.gatehouse.common.GatehouseException;
import java.time.Duration;
import java.util.Locale;

/** One limit of a rule: at most {@code limit} requests or tokens per rolling minute, hour or day. */
public record Limit(Kind kind, Per per, long limit) {
  /** Above any real quota; keeps the token arithmetic of a day's bucket far from overflow. */
  static final long MAX_LIMIT = 1_000_000_000_000L;

  public enum Kind {
    REQUESTS, TOKENS;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Per {
    MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1));

    private final Duration period;

    Per(Duration period) {
      this.period = period;
    }

    public Duration period() {
      return period;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the wire form; 400 on anything else. */
  public static Limit parse(String kind, String per, Long limit) {
    if (kind == null || per == null || limit == null) {
      throw GatehouseException.invalid("Every limit needs 'kind' (requests or tokens), 'per' (minute, hour or day)"
          + " and 'limit'.");
    }
    Kind k = parseEnum(Kind.class, kind, "'kind' must be requests or tokens, not '" + kind + "'.");
    Per p = parseEnum(Per.class, per, "'per' must be minute, hour or day, not '" + per + "'.");
    // Bucket4j refills at most one token per nanosecond: 60,000,000,000 per minute.
    long max = Math.min(MAX_LIMIT, p.period().toNanos());
    if (limit < 1 || limit > max) {
      throw GatehouseException.invalid("'limit' per " + p.wire() + " must be between 1 and " + max + ", not " + limit
          + ".");
    }
    return new Limit(k, p, limit);
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String message) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw GatehouseException.invalid(message);
    }
  }
}
