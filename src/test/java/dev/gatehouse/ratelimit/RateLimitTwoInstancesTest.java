package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestDatabases;
import dev.gatehouse.testing.TwoInstances;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one PostgreSQL database share every limit exactly: their buckets are rows of
 * the database. On H2 (one instance by design, buckets in memory) there is nothing shared to test.
 */
class RateLimitTwoInstancesTest {
  static final MutableClock clock = new MutableClock(System.currentTimeMillis());
  @RegisterExtension
  static final TwoInstances instances = new TwoInstances().withClock(clock);
  private static RateLimitSupport first;
  private static RateLimitSupport second;

  @BeforeAll
  static void fixture() {
    first = new RateLimitSupport(instances.first());
    second = new RateLimitSupport(instances.second());
    first.everyoneGroup();
    first.connection("mock10", 10);
    first.catalog("ai", "llm");
    first.model("ai.llm.shared", "mock10");
    first.model("ai.llm.later", "mock10");
    first.openToAll("ai", "everyone");
  }

  @Test
  void twoHundredConcurrentRequestsSplitOverTwoInstancesAdmitExactlyFifty() throws Exception {
    assumeTrue(TestDatabases.postgres(), "H2 serves one instance; its buckets are in memory");
    String key = first.user("pat");
    first.rule("{\"scope_type\":\"model\",\"scope_name\":\"ai.llm.shared\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":50}]}");
    AtomicInteger turn = new AtomicInteger();
    List<HttpResponse<String>> answers = RateLimitGatewayTest.concurrently(200, () ->
        (turn.getAndIncrement() % 2 == 0 ? first : second).chat(key, "ai.llm.shared", 5));
    assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(50);
    assertThat(answers.stream().filter(r -> r.statusCode() == 429)).hasSize(150);
    assertThat(first.chat(key, "ai.llm.shared", 5).statusCode()).isEqualTo(429);
    assertThat(second.chat(key, "ai.llm.shared", 5).statusCode()).isEqualTo(429);
  }

  @Test
  void aRuleMadeThroughOneInstanceIsEnforcedByTheOtherWithinTheCacheTtl() {
    assumeTrue(TestDatabases.postgres(), "H2 serves one instance; its buckets are in memory");
    String key = first.user("lee");
    assertThat(second.chat(key, "ai.llm.later", 5).statusCode()).isEqualTo(200);
    first.rule("{\"scope_type\":\"principal\",\"scope_name\":\"lee\","
        + "\"limits\":[{\"kind\":\"requests\",\"per\":\"day\",\"limit\":1}]}");
    // the other instance reads rules again within rateLimits.rulesCacheTtl (1 s): until then calls pass
    long deadline = System.nanoTime() + 5_000_000_000L;
    int status;
    do {
      status = second.chat(key, "ai.llm.later", 5).statusCode();
    } while (status == 200 && System.nanoTime() < deadline);
    assertThat(status).isEqualTo(429);
    assertThat(first.chat(key, "ai.llm.later", 5).statusCode()).isEqualTo(429);
  }
}
