package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  private static final long MS = 1_000_000L;

  @Test
  void durationsReadAsOpenAiSendsThem() {
    assertThat(RateLimitHeaders.duration(0)).isEqualTo("0s");
    assertThat(RateLimitHeaders.duration(1)).isEqualTo("1ms");
    assertThat(RateLimitHeaders.duration(20 * MS)).isEqualTo("20ms");
    assertThat(RateLimitHeaders.duration(1000 * MS)).isEqualTo("1s");
    assertThat(RateLimitHeaders.duration(1200 * MS)).isEqualTo("1.2s");
    assertThat(RateLimitHeaders.duration(1250 * MS)).isEqualTo("1.25s");
    assertThat(RateLimitHeaders.duration(1050 * MS)).isEqualTo("1.05s");
    assertThat(RateLimitHeaders.duration(1007 * MS)).isEqualTo("1.007s");
    assertThat(RateLimitHeaders.duration(61_040 * MS)).isEqualTo("1m1.04s");
    assertThat(RateLimitHeaders.duration(360_000 * MS)).isEqualTo("6m0s");
    assertThat(RateLimitHeaders.duration(3_723_500 * MS)).isEqualTo("1h2m3.5s");
    assertThat(RateLimitHeaders.duration(86_400_000 * MS)).isEqualTo("24h0m0s");
  }

  @Test
  void theTimeToFullIsRoundedUpAndExactForHugeLimits() {
    Limit perMinute = new Limit(Limit.Kind.TOKENS, Limit.Per.MINUTE, 7);
    assertThat(new RateLimitHeaders.Seen(perMinute, 6).nanosToFull()).isEqualTo(8_571_428_572L);  // 60 s / 7, up
    assertThat(new RateLimitHeaders.Seen(perMinute, 7).nanosToFull()).isZero();
    long huge = 1_000_000_000_000L;  // the day's nanoseconds times this overflows a long
    Limit perDay = new Limit(Limit.Kind.TOKENS, Limit.Per.DAY, huge);
    assertThat(new RateLimitHeaders.Seen(perDay, 1).nanosToFull()).isEqualTo(86_399_999_999_914L);
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUp() {
    assertThat(RateLimitHeaders.retryAfter(0)).isEqualTo("1");
    assertThat(RateLimitHeaders.retryAfter(1200 * MS)).isEqualTo("2");
    assertThat(RateLimitHeaders.retryAfter(60_000 * MS)).isEqualTo("60");
  }

  @Test
  void theLimitWithLeastLeftIsReported() {
    Map<String, String> headers = new LinkedHashMap<>();
    RateLimitHeaders.put(headers, Limit.Kind.TOKENS, List.of(
        new RateLimitHeaders.Seen(new Limit(Limit.Kind.TOKENS, Limit.Per.MINUTE, 1000), 900),
        new RateLimitHeaders.Seen(new Limit(Limit.Kind.TOKENS, Limit.Per.DAY, 100_000), 400),
        new RateLimitHeaders.Seen(new Limit(Limit.Kind.TOKENS, Limit.Per.HOUR, 500), -20)));
    assertThat(headers).containsExactly(
        Map.entry("x-ratelimit-limit-tokens", "500"),
        Map.entry("x-ratelimit-remaining-tokens", "0"),
        Map.entry("x-ratelimit-reset-tokens", "1h2m24s"));
  }
}
