package dev.gatehouse.common;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

public final class Ids {
  private Ids() {}

  /** A random UUID (version 4), from a secure random source. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /**
   * A UUID version 7 (RFC 9562): the time in milliseconds first, then 74 random bits, so its text
   * sorts by creation time. Rows keyed by it (usage records, budget holds: several per inference
   * call) land at the end of their primary-key index instead of on a random page of it, and a
   * commit of many of them rewrites a page or two instead of one per row. Not for secrets: the bits
   * come from a fast, unpredictable-enough but not cryptographic source.
   */
  public static String newTimeOrderedId() {
    return timeOrdered(System.currentTimeMillis(), ThreadLocalRandom.current().nextLong(),
        ThreadLocalRandom.current().nextLong()).toString();
  }

  static UUID timeOrdered(long epochMillis, long randomA, long randomB) {
    long high = (epochMillis << 16) | 0x7000L | (randomA & 0x0FFFL);
    long low = (randomB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }
}
