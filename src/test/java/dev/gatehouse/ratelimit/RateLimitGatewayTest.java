package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.RateLimitSupport.header;
import static dev.gatehouse.ratelimit.RateLimitSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limits enforced on the gateway, on one instance. Time stands still (the application's clock
 * is moved by hand), so no bucket refills behind a test's back and counts are exact.
 */
class RateLimitGatewayTest {
  static final MutableClock clock = new MutableClock(System.currentTimeMillis());
  @RegisterExtension
  static final TestServer server = new TestServer().withClock(clock);
  private static RateLimitSupport support;

  @BeforeAll
  static void fixture() {
    support = new RateLimitSupport(server);
    support.everyoneGroup();
    support.connection("mock10", 10);
    support.catalog("ai", "llm", "other");
    support.catalog("cat2", "s");
    for (String model : List.of("ai.llm.conc", "ai.llm.tok", "ai.llm.strict", "ai.llm.free", "ai.llm.any",
        "ai.other.m1", "ai.other.m2", "cat2.s.m")) {
      support.model(model, "mock10");
    }
    support.openToAll("ai", "everyone");
    support.openToAll("cat2", "everyone");
  }

  @Test
  void twoHundredConcurrentRequestsAgainstFiftyPerMinuteAdmitExactlyFifty() throws Exception {
    String key = support.user("conc_user");
    support.rule("{\"scope_type\":\"model\",\"scope_name\":\"ai.llm.conc\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":50}]}");
    List<HttpResponse<String>> answers = concurrently(200, () -> support.chat(key, "ai.llm.conc", 5));
    assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(50);
    assertThat(answers.stream().filter(r -> r.statusCode() == 429)).hasSize(150);
    HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    JsonNode error = json(refused.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.get("code").asText()).isEqualTo("rate_limit_requests");
    assertThat(error.get("message").asText()).contains("requests per minute", "limit 50");
    // 50 per minute refill one every 1.2 s: the next is 2 s away, rounded up; all of them a minute away
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(header(refused, "x-ratelimit-limit-requests")).isEqualTo(50);
    assertThat(header(refused, "x-ratelimit-remaining-requests")).isZero();
    assertThat(refused.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1m0s");
    assertThat(support.chat(key, "ai.llm.any", 5).statusCode()).as("another model").isEqualTo(200);

    clock.advanceMillis(1200);
    assertThat(support.chat(key, "ai.llm.conc", 5).statusCode()).isEqualTo(200);
    assertThat(support.chat(key, "ai.llm.conc", 5).statusCode()).isEqualTo(429);
  }

  @Test
  void tokensAreReservedBeforeTheCallAndSettledToWhatWasUsed() {
    String key = support.user("tina");
    support.rule("{\"scope_type\":\"principal\",\"scope_name\":\"tina\","
        + "\"limits\":[{\"kind\":\"tokens\",\"per\":\"minute\",\"limit\":100}]}");
    HttpResponse<String> first = support.chat(key, "ai.llm.tok", 20);
    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode usage = json(first.body()).get("usage");
    long prompt = usage.get("prompt_tokens").asLong();
    long used = prompt + usage.get("completion_tokens").asLong();
    long reserved = prompt + 20;
    assertThat(used).isEqualTo(prompt + 10);
    assertThat(header(first, "x-ratelimit-limit-tokens")).isEqualTo(100);
    assertThat(header(first, "x-ratelimit-remaining-tokens")).isEqualTo(100 - reserved);
    assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).as("no request limit applies").isEmpty();

    // each call holds its reservation while it runs and gives back what it did not use
    long available = 100 - used;
    int admitted = 1;
    HttpResponse<String> answer;
    while ((answer = support.chat(key, "ai.llm.tok", 20)).statusCode() == 200) {
      assertThat(header(answer, "x-ratelimit-remaining-tokens")).isEqualTo(available - reserved);
      available -= used;
      admitted++;
    }
    assertThat(admitted).as("without refunds only %d would fit", 100 / reserved).isEqualTo(
        (int) ((100 - reserved) / used) + 1);
    assertThat(answer.statusCode()).isEqualTo(429);
    assertThat(json(answer.body()).get("error").get("code").asText()).isEqualTo("rate_limit_tokens");
    assertThat(header(answer, "x-ratelimit-remaining-tokens")).isEqualTo(available);
    long missingNanos = (reserved - available) * 60_000_000_000L / 100;
    assertThat(header(answer, "Retry-After")).isEqualTo((missingNanos + 999_999_999L) / 1_000_000_000L);

    clock.advanceMillis((reserved - available) * 600);
    assertThat(support.chat(key, "ai.llm.tok", 20).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenReservationAboveTheLimitWaitsForAFullBucketInsteadOfNeverFitting() {
    String key = support.user("huge");
    support.rule("{\"scope_type\":\"principal\",\"scope_name\":\"huge\","
        + "\"limits\":[{\"kind\":\"tokens\",\"per\":\"hour\",\"limit\":50}]}");
    assertThat(support.chat(key, "ai.llm.tok", 100_000).statusCode()).isEqualTo(200);
    HttpResponse<String> next = support.chat(key, "ai.llm.tok", 100_000);
    assertThat(next.statusCode()).isEqualTo(429);
  }

  @Test
  void theStrictestRuleDecidesAndARefusalTakesNothingFromTheOthers() {
    String sam = support.user("sam");
    String sue = support.user("sue");
    support.rule("{\"scope_type\":\"principal\",\"scope_name\":\"sam\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":3}]}");
    support.rule("{\"scope_type\":\"model\",\"scope_name\":\"ai.llm.strict\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":10},"
        + "{\"kind\":\"requests\",\"per\":\"day\",\"limit\":1000}]}");
    HttpResponse<String> first = support.chat(sam, "ai.llm.strict", 5);
    assertThat(header(first, "x-ratelimit-limit-requests")).isEqualTo(3);
    assertThat(header(first, "x-ratelimit-remaining-requests")).isEqualTo(2);
    assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).hasValue("20s");
    support.chat(sam, "ai.llm.strict", 5);
    support.chat(sam, "ai.llm.strict", 5);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> refused = support.chat(sam, "ai.llm.strict", 5);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(json(refused.body()).get("error").get("message").asText()).contains("principal 'sam'");
    }
    // sam's refused calls took nothing from the model's 10: sue gets the 7 left
    int admitted = 0;
    HttpResponse<String> answer;
    while ((answer = support.chat(sue, "ai.llm.strict", 5)).statusCode() == 200) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(7);
    assertThat(json(answer.body()).get("error").get("message").asText()).contains("model 'ai.llm.strict'");
  }

  @Test
  void aGroupSharesItsLimitUnlessPerMember() {
    String ann = support.user("ann");
    String ben = support.user("ben");
    String cal = support.user("cal");
    String dan = support.user("dan");
    support.group("team", "ann", "ben");
    support.group("crew", "cal", "dan");
    support.rule("{\"scope_type\":\"group\",\"scope_name\":\"team\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":3}]}");
    support.rule("{\"scope_type\":\"group\",\"scope_name\":\"crew\",\"per_member\":true,"
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":2}]}");
    assertThat(statuses(ann, "ai.llm.any", 2)).containsExactly(200, 200);
    assertThat(statuses(ben, "ai.llm.any", 2)).containsExactly(200, 429);
    assertThat(statuses(ann, "ai.llm.any", 1)).containsExactly(429);
    assertThat(statuses(cal, "ai.llm.any", 3)).containsExactly(200, 200, 429);
    assertThat(statuses(dan, "ai.llm.any", 3)).containsExactly(200, 200, 429);
  }

  @Test
  void aKeyRuleLimitsThatKeyOnly() {
    support.user("kim");
    String[] limited = support.key("kim", "limited");
    String[] other = support.key("kim", "other");
    support.rule("{\"scope_type\":\"key\",\"scope_name\":\"" + limited[0] + "\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":2}]}");
    assertThat(statuses(limited[1], "ai.llm.any", 3)).containsExactly(200, 200, 429);
    assertThat(statuses(other[1], "ai.llm.any", 3)).containsExactly(200, 200, 200);
  }

  @Test
  void aSchemaOrCatalogRuleCoversEveryModelUnderIt() {
    String key = support.user("sid");
    support.rule("{\"scope_type\":\"model\",\"scope_name\":\"ai.other\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":2}]}");
    support.rule("{\"scope_type\":\"model\",\"scope_name\":\"CAT2\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}");
    assertThat(statuses(key, "ai.other.m1", 1)).containsExactly(200);
    assertThat(statuses(key, "ai.other.m2", 2)).containsExactly(200, 429);
    assertThat(statuses(key, "ai.other.m1", 1)).containsExactly(429);
    assertThat(statuses(key, "cat2.s.m", 2)).containsExactly(200, 429);
    assertThat(statuses(key, "ai.llm.any", 1)).containsExactly(200);
  }

  @Test
  void aGlobalRuleCountsEveryoneTogetherAndItsDeletionTakesEffectAtOnce() {
    String gus = support.user("gus");
    String gia = support.user("gia");
    String id = support.rule("{\"scope_type\":\"global\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"day\",\"limit\":2}]}");
    try {
      assertThat(statuses(gus, "ai.llm.free", 1)).containsExactly(200);
      assertThat(statuses(gia, "ai.llm.free", 2)).containsExactly(200, 429);
      assertThat(statuses(gus, "ai.llm.any", 1)).containsExactly(429);
    } finally {
      support.deleteRule(id);
    }
    assertThat(statuses(gus, "ai.llm.free", 1)).containsExactly(200);
  }

  @Test
  void aCallRefusedAfterAdmissionGivesBackWhatItTook() {
    String key = support.user("ivy");
    support.rule("{\"scope_type\":\"principal\",\"scope_name\":\"ivy\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":2}]}");
    // max_tokens 0 passes the guard and is refused while the request is prepared for the provider
    for (int i = 0; i < 3; i++) {
      assertThat(support.chat(key, "ai.llm.any", 0).statusCode()).isEqualTo(400);
    }
    assertThat(statuses(key, "ai.llm.any", 3)).containsExactly(200, 200, 429);
  }

  @Test
  void theLargestLimitsAllowedWork() {
    String key = support.user("max");
    support.rule("{\"scope_type\":\"principal\",\"scope_name\":\"max\",\"limits\":["
        + "{\"kind\":\"tokens\",\"per\":\"minute\",\"limit\":60000000000},"
        + "{\"kind\":\"requests\",\"per\":\"day\",\"limit\":1000000000000}]}");
    HttpResponse<String> answer = support.chat(key, "ai.llm.any", 5);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(header(answer, "x-ratelimit-remaining-requests")).isEqualTo(999_999_999_999L);
  }

  @Test
  void noRuleNoHeaders() {
    HttpResponse<String> answer = support.chat(support.user("nora"), "ai.llm.free", 5);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-ratelimit"));
  }

  @Test
  void anthropicClientsGetARateLimitErrorInTheirShape() {
    String key = support.user("mia");
    support.rule("{\"scope_type\":\"principal\",\"scope_name\":\"mia\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"hour\",\"limit\":1}]}");
    HttpResponse<String> first = support.messages(key, "ai.llm.any", 5);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(header(first, "x-ratelimit-remaining-requests")).isZero();
    assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1h0m0s");
    HttpResponse<String> refused = support.messages(key, "ai.llm.any", 5);
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode body = json(refused.body());
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.get("error").get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("3600");
  }

  @Test
  void aStreamSettlesItsTokensWhenItEnds() {
    String key = support.user("sal");
    support.rule("{\"scope_type\":\"principal\",\"scope_name\":\"sal\","
        + "\"limits\":[{\"kind\":\"tokens\",\"per\":\"minute\",\"limit\":1000}]}");
    HttpResponse<String> stream = server.call("POST", "/v1/chat/completions", "{\"model\":\"ai.llm.any\","
        + "\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
    assertThat(stream.statusCode()).isEqualTo(200);
    long prompt = 1000 - header(stream, "x-ratelimit-remaining-tokens") - 100;
    // a call that cannot fit takes nothing and shows what is left: the reservation once settled to 10 tokens
    long expected = 1000 - prompt - 10;
    long deadline = System.nanoTime() + 10_000_000_000L;
    HttpResponse<String> probe;
    do {
      probe = support.chat(key, "ai.llm.any", 5000);
      assertThat(probe.statusCode()).isEqualTo(429);
    } while (header(probe, "x-ratelimit-remaining-tokens") != expected && System.nanoTime() < deadline);
    assertThat(header(probe, "x-ratelimit-remaining-tokens")).isEqualTo(expected);
  }

  private static List<Integer> statuses(String key, String model, int calls) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      statuses.add(support.chat(key, model, 5).statusCode());
    }
    return statuses;
  }

  /** Runs {@code n} copies of the call at once (released together) and returns their answers. */
  static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return call.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
