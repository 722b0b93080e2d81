package dev.gatehouse.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.client.model.BudgetInfo;
import dev.gatehouse.testing.TestServer;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What runs behind the calls: threshold alerts (an audit event and a webhook, retried when it fails)
 * and the sweeper that gives back the budget leases of instances that crashed.
 */
class BudgetAlertTest {
  @RegisterExtension
  static final TestServer server = new TestServer()
      .withConfig("budgets.webhookBackoff", "50ms")
      .withConfig("budgets.sweepInterval", "100ms")
      .withConfig("budgets.leaseTimeout", "3s");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static BudgetFixture fixture;
  private static HttpServer webhook;
  private static final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
  private static final AtomicInteger attempts = new AtomicInteger();

  @BeforeAll
  static void setUp() throws Exception {
    fixture = new BudgetFixture(server);
    fixture.setUp("mock", "{\"completion_tokens\":\"10\"}");
    fixture.model("watched", "mock");
    fixture.model("orphaned", "mock");
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      // the first delivery fails: it must be retried
      int status = attempts.incrementAndGet() == 1 ? 500 : 204;
      if (status == 204) {
        delivered.add(JSON.readTree(body));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    webhook.start();
  }

  @AfterAll
  static void stop() {
    webhook.stop(0);
  }

  @Test
  void aSoftBudgetNeverRefusesButAlertsOncePerThreshold() throws Exception {
    String url = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
    // each call costs 0.016 USD (6 prompt + 10 completion tokens): 0.03 is crossed at 50% by the first, 100% by the second
    BudgetInfo soft = fixture.budget("model", "ai.llm.watched", "0.03", "month", false, List.of(50, 100), url);
    for (int i = 0; i < 4; i++) {
      assertThat(fixture.chat(server, TestServer.ADMIN_KEY, "watched", i % 2 == 0, 10)).isEqualTo(200);
    }
    BudgetFixture.awaitSettled(server.jdbi(), soft.getId());
    assertThat(new BigDecimal(fixture.read(soft.getId()).getSpentUsd())).isEqualByComparingTo("0.064");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (delivered.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(delivered).extracting(d -> d.path("threshold_pct").asInt()).containsExactlyInAnyOrder(50, 100);
    assertThat(delivered).allSatisfy(d -> {
      assertThat(d.path("event").asText()).isEqualTo("budget.threshold_crossed");
      assertThat(d.path("budget_id").asText()).isEqualTo(soft.getId());
      assertThat(d.path("amount_usd").asText()).isEqualTo("0.03");
    });
    assertThat(attempts.get()).isEqualTo(3); // one failure, retried, and the other threshold
    JsonNode events = JSON.readTree(server.call("GET",
        "/api/1.0/gatehouse/audit/events?action=budgetThresholdCrossed", null, TestServer.ADMIN_KEY).body());
    assertThat(events.path("events")).hasSize(2);
    assertThat(events.path("events").findValuesAsText("actor_name")).containsOnly("system");
    assertThat(events.path("events").findValuesAsText("service")).containsOnly("budget");
    assertThat(events.path("events").findValuesAsText("full_name")).containsOnly(soft.getId());
    Thread.sleep(300); // no late duplicates
    assertThat(delivered).hasSize(2);
  }

  @Test
  void leasesOfACrashedInstanceAreGivenBackBySweeper() throws Exception {
    BudgetInfo hard = fixture.budget("model", "ai.llm.orphaned", "0.10", "day", true, null, null);
    assertThat(fixture.chat(server, TestServer.ADMIN_KEY, "orphaned", false, 10)).isEqualTo(200);
    BudgetFixture.awaitSettled(server.jdbi(), hard.getId()); // this instance's own lease went back, idle
    // an instance that crashed left a lease of 0.09 USD behind: no call fits beside it
    long start = hard.getPeriodStart();
    server.jdbi().useTransaction(h -> {
      h.execute("UPDATE budget_periods SET reserved_usd = reserved_usd + 0.09 WHERE budget_id = ?", hard.getId());
      h.execute("INSERT INTO budget_leases (id, budget_id, counter_key, period_start, amount_usd, instance_id,"
          + " renewed_at) VALUES ('orphan', ?, 'model:ai.llm.orphaned', ?, 0.09, 'crashed', ?)",
          hard.getId(), start, System.currentTimeMillis());
    });
    assertThat(fixture.chat(server, TestServer.ADMIN_KEY, "orphaned", false, 10)).isEqualTo(429);
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (BudgetFixture.spentAndReserved(server.jdbi(), hard.getId())[1].signum() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(BudgetFixture.spentAndReserved(server.jdbi(), hard.getId())[1]).isZero();
    int left = server.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM budget_leases")
        .mapTo(Integer.class).one());
    assertThat(left).isZero();
    assertThat(fixture.chat(server, TestServer.ADMIN_KEY, "orphaned", false, 10)).isEqualTo(200);
  }
}
