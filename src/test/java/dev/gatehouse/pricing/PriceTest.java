package dev.gatehouse.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The arithmetic of a price, exact to the last digit. */
class PriceTest {
  private static final Price OPUS = new Price(new BigDecimal("15.00"), new BigDecimal("75.00"), new BigDecimal("1.50"),
      new BigDecimal("18.75"), "test");

  @Test
  void cacheReadsAndWritesArePricedApartFromTheRestOfThePrompt() {
    // 1,000 prompt tokens of which 600 read from the cache and 300 written to it; 50 completion
    BigDecimal cost = OPUS.cost(1_000, 50, 600, 300);
    // (100*15 + 600*1.50 + 300*18.75 + 50*75) / 1e6
    assertThat(cost).isEqualByComparingTo("0.01177500");
    assertThat(cost.scale()).isEqualTo(10);
  }

  @Test
  void theSmallestPricesStayExactAtScaleTen() {
    Price nano = new Price(new BigDecimal("0.005"), new BigDecimal("0.0001"), new BigDecimal("0.0005"),
        new BigDecimal("0.005"), "test");
    assertThat(nano.cost(1, 1, 1, 0)).isEqualByComparingTo("0.0000000006");
  }

  @Test
  void theWorstCaseChargesEveryPromptTokenAtTheDearestInputRate() {
    assertThat(OPUS.worstCase(100, 10)).isEqualByComparingTo("0.002625"); // (100*18.75 + 10*75) / 1e6
  }

  @Test
  void aNegativeUncachedCountIsNeverCharged() {
    assertThat(OPUS.cost(10, 0, 20, 0)).isEqualByComparingTo("0.00003"); // 20 cached * 1.50
  }
}
