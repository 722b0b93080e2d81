package dev.gatehouse.ratelimit;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's rate-limit headers: for requests and for tokens, the limit that binds this caller most
 * (least remaining), what remains of it, and how long until it is whole again ({@code 1s},
 * {@code 6m0s}, Go's duration format as OpenAI sends it). A kind no rule limits gets no headers.
 */
final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /** One limit as a call saw it: its size, what was available after the call, its period. */
  record Seen(Limit limit, long available) {
    long remaining() {
      return Math.max(0, Math.min(available, limit.limit()));
    }

    /** Refill is steady (greedy), so the time to be whole again is proportional to what is missing. */
    long nanosToFull() {
      long missing = limit.limit() - Math.min(available, limit.limit());
      if (missing <= 0) {
        return 0;
      }
      long period = limit.per().period().toNanos();
      try {
        long scaled = Math.multiplyExact(period, missing);  // every call takes this way: no BigDecimal
        return scaled / limit.limit() + (scaled % limit.limit() == 0 ? 0 : 1);
      } catch (ArithmeticException tooLarge) {
        return BigDecimal.valueOf(period).multiply(BigDecimal.valueOf(missing))
            .divide(BigDecimal.valueOf(limit.limit()), 0, java.math.RoundingMode.CEILING).longValueExact();
      }
    }
  }

  static void put(Map<String, String> headers, Limit.Kind kind, Collection<Seen> seen) {
    Optional<Seen> strictest = seen.stream()
        .min(Comparator.comparingLong(Seen::remaining).thenComparingLong(s -> s.limit().limit()));
    strictest.ifPresent(s -> {
      String suffix = kind.wire();
      headers.put("x-ratelimit-limit-" + suffix, Long.toString(s.limit().limit()));
      headers.put("x-ratelimit-remaining-" + suffix, Long.toString(s.remaining()));
      headers.put("x-ratelimit-reset-" + suffix, duration(s.nanosToFull()));
    });
  }

  /** Retry-After: whole seconds, rounded up, at least 1. */
  static String retryAfter(long nanos) {
    return Long.toString(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
  }

  /** Go's time.Duration format to the millisecond: {@code 0s}, {@code 20ms}, {@code 1.2s}, {@code 6m0s}, {@code 1h2m3s}. */
  static String duration(long nanos) {
    long millis = (nanos + 999_999) / 1_000_000;
    if (millis == 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long secondMillis = millis % 60_000;
    StringBuilder out = new StringBuilder();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(secondMillis / 1000);
    long fraction = secondMillis % 1000;
    if (fraction > 0) {
      // milliseconds as a decimal fraction without trailing zeros: 50 -> ".05", 120 -> ".12"
      int digits = 3;
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      String significant = Long.toString(fraction);
      out.append('.');
      for (int i = significant.length(); i < digits; i++) {
        out.append('0');
      }
      out.append(significant);
    }
    return out.append('s').toString();
  }
}
