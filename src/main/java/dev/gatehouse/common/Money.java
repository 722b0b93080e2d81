package dev.gatehouse.common;

import java.math.BigDecimal;

/** Money on the wire: a decimal string of USD, exact, with at least cents ("25.00", "0.0000375"). */
public final class Money {
  private Money() {}

  public static String format(BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    BigDecimal plain = amount.stripTrailingZeros();
    return (plain.scale() < 2 ? plain.setScale(2) : plain).toPlainString();
  }
}
