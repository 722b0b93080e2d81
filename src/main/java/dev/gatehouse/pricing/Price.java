package dev.gatehouse.pricing;

import java.math.BigDecimal;

/**
 * USD per 1M tokens of one upstream model, and the cost of a call at that price. Prices carry at
 * most {@link PriceEntry#MAX_SCALE} decimals, so a cost (tokens x price / 1e6) has at most 10 and is
 * stored exactly in DECIMAL(20,10): no rounding anywhere. {@code ref} names the entry, for records.
 */
public record Price(BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite, String ref) {
  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(10);

  /**
   * The cost of a call's usage in OpenAI's convention (prompt tokens include the cached ones and,
   * as normalized for Anthropic, the cache writes): uncached prompt tokens at the input price,
   * cache reads at the cached price, cache writes at the write price, completion at the output price.
   */
  public BigDecimal cost(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens) {
    long uncached = Math.max(0, promptTokens - cachedTokens - cacheWriteTokens);
    BigDecimal perMillion = input.multiply(BigDecimal.valueOf(uncached))
        .add(cachedInput.multiply(BigDecimal.valueOf(cachedTokens)))
        .add(cacheWrite.multiply(BigDecimal.valueOf(cacheWriteTokens)))
        .add(output.multiply(BigDecimal.valueOf(completionTokens)));
    return perMillion.movePointLeft(6).setScale(10);
  }

  /** The most a call of at most these many tokens can cost: every prompt token at its dearest rate. */
  public BigDecimal worstCase(long promptTokens, long completionTokens) {
    BigDecimal dearestInput = input.max(cachedInput).max(cacheWrite);
    return dearestInput.multiply(BigDecimal.valueOf(promptTokens))
        .add(output.multiply(BigDecimal.valueOf(completionTokens)))
        .movePointLeft(6).setScale(10);
  }

  /** Per-million prices as a short text, stored with each record so that its cost can be checked later. */
  public String describe() {
    return ref + " in=" + input.toPlainString() + " out=" + output.toPlainString() + " cached="
        + cachedInput.toPlainString() + " write=" + cacheWrite.toPlainString();
  }
}
