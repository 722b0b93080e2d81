package dev.gatehouse.budget;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.gatehouse.client.api.ApiKeysApi;
import dev.gatehouse.client.api.BudgetsApi;
import dev.gatehouse.client.model.BudgetInfo;
import dev.gatehouse.client.model.CreateBudget;
import dev.gatehouse.client.model.UpdateBudget;
import dev.gatehouse.testing.TestServer;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Budgets through the API: validated scopes, who sees which, refusals in the provider's shape, spend shown. */
class BudgetApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static BudgetFixture fixture;
  private static String aliceKey;
  private static String bobKey;

  @BeforeAll
  static void setUp() {
    fixture = new BudgetFixture(server);
    fixture.setUp("mock", "{\"completion_tokens\":\"10\"}");
    fixture.model("capped", "mock");
    fixture.model("free", "mock");
    fixture.model("strict", "mock");
    aliceKey = server.userWithKey("alice");
    bobKey = server.userWithKey("bob");
    server.call("PATCH", "/api/2.1/unity-catalog/permissions/schema/ai.llm", "{\"changes\":[{\"principal\":\"alice\","
        + "\"add\":[\"USE_SCHEMA\",\"EXECUTE\"]},{\"principal\":\"bob\",\"add\":[\"USE_SCHEMA\",\"EXECUTE\"]}]}",
        TestServer.ADMIN_KEY);
    server.call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/ai", "{\"changes\":[{\"principal\":\"alice\","
        + "\"add\":[\"USE_CATALOG\"]},{\"principal\":\"bob\",\"add\":[\"USE_CATALOG\"]}]}", TestServer.ADMIN_KEY);
  }

  @Test
  void scopesMustNameWhatExists() {
    BudgetsApi api = new BudgetsApi(server.admin());
    assertApiError(() -> api.createBudget(budget("principal", "nobody")), 404, "NOT_FOUND");
    assertApiError(() -> api.createBudget(budget("group", "no_group")), 404, "NOT_FOUND");
    assertApiError(() -> api.createBudget(budget("key", "no-such-key")), 404, "NOT_FOUND");
    assertApiError(() -> api.createBudget(budget("model", "ai.llm.nothing")), 404, "NOT_FOUND");
    assertApiError(() -> api.createBudget(budget("model", "a.b.c.d")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> api.createBudget(budget("group", "alice")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> api.createBudget(budget("tenant", "x")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> api.createBudget(budget("global", null).period("year")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> api.createBudget(budget("global", null).amountUsd("-1")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> api.createBudget(budget("global", null).amountUsd("ten")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> api.createBudget(budget("global", null).alertThresholds(List.of(50, 50))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> api.createBudget(budget("global", null).webhookUrl("ftp://x")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> new BudgetsApi(server.client(aliceKey)).createBudget(budget("principal", "alice")), 403,
        "PERMISSION_DENIED");
  }

  @Test
  void principalsSeeTheBudgetsThatApplyToThem() throws Exception {
    BudgetsApi api = new BudgetsApi(server.admin());
    BudgetInfo alices = api.createBudget(budget("principal", "Alice").amountUsd("25").period("week"));
    assertThat(alices.getScopeName()).isEqualTo("alice");
    assertThat(alices.getAmountUsd()).isEqualTo("25.00");
    assertThat(alices.getSpentUsd()).isEqualTo("0.00");
    assertThat(alices.getReservedUsd()).isEqualTo("0.00");
    assertThat(java.time.Instant.ofEpochMilli(alices.getPeriodStart()).atZone(java.time.ZoneOffset.UTC).getDayOfWeek())
        .isEqualTo(java.time.DayOfWeek.MONDAY);
    assertThat(alices.getPeriodEnd() - alices.getPeriodStart()).isEqualTo(7L * 86_400_000);
    BudgetInfo bobs = api.createBudget(budget("principal", "bob"));
    BudgetsApi asAlice = new BudgetsApi(server.client(aliceKey));
    assertThat(asAlice.getBudget(alices.getId()).getId()).isEqualTo(alices.getId());
    assertApiError(() -> asAlice.getBudget(bobs.getId()), 404, "NOT_FOUND");
    assertThat(asAlice.listBudgets(null, null).getBudgets()).extracting(BudgetInfo::getId)
        .contains(alices.getId()).doesNotContain(bobs.getId());
    assertThat(api.listBudgets(null, null).getBudgets()).extracting(BudgetInfo::getId)
        .contains(alices.getId(), bobs.getId());
    var pageOne = api.listBudgets(1, null);
    assertThat(pageOne.getBudgets()).hasSize(1);
    assertThat(api.listBudgets(1, pageOne.getNextPageToken()).getBudgets().get(0).getId())
        .isGreaterThan(pageOne.getBudgets().get(0).getId());
    BudgetInfo changed = api.updateBudget(bobs.getId(), new UpdateBudget().amountUsd("7.5").hard(false)
        .alertThresholds(List.of(100, 50)));
    assertThat(changed.getAmountUsd()).isEqualTo("7.50");
    assertThat(changed.getHard()).isFalse();
    assertThat(changed.getAlertThresholds()).containsExactly(50, 100);
    api.deleteBudget(bobs.getId());
    assertApiError(() -> api.getBudget(bobs.getId()), 404, "NOT_FOUND");
    // every change is audited under the budget service, naming the budget
    var events = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.call("GET",
        "/api/1.0/gatehouse/audit/events?service=budget", null, TestServer.ADMIN_KEY).body()).path("events");
    assertThat(events.findValuesAsText("action_name")).contains("createBudget", "updateBudget", "deleteBudget");
    assertThat(events.findValuesAsText("full_name")).contains(bobs.getId());
  }

  @Test
  void aHardBudgetRefusesWhatItCannotCoverWithInsufficientQuota() throws Exception {
    // a call reserves (6 * 1.5 + 64) prompt + 10 completion tokens = 0.083 USD; 0.05 covers none
    String keyId = new ApiKeysApi(server.client(bobKey)).listApiKeys(null, null, null).getApiKeys().get(0).getId();
    BudgetInfo tight = fixture.budget("key", keyId, "0.05", "day", true, null, null);
    var openAi = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(bobKey).maxRetries(0).build();
    assertThatThrownBy(() -> openAi.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("ai.llm.capped").addUserMessage("Say hello").maxTokens(10).build()))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.body().toString()).contains("type=insufficient_quota").contains("code=insufficient_quota")
              .contains("could cost up to 0.083 USD");
        });
    var anthropic = server.call("POST", "/v1/messages", "{\"model\":\"ai.llm.capped\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", bobKey);
    assertThat(anthropic.statusCode()).isEqualTo(429);
    assertThat(anthropic.body()).contains("\"type\":\"error\"").contains("rate_limit_error").contains("budget");
    // the refusals were recorded, cost nothing and hold nothing
    assertThat(fixture.read(tight.getId()).getSpentUsd()).isEqualTo("0.00");
    assertThat(fixture.read(tight.getId()).getReservedUsd()).isEqualTo("0.00");
    // raised, it admits; the spend shown is the cost of the call, the hold is gone
    new BudgetsApi(server.admin()).updateBudget(tight.getId(), new UpdateBudget().amountUsd("1"));
    Thread.sleep(2_100); // budgets reload every 2 s on other instances; this one reloaded at once
    assertThat(fixture.chat(server, bobKey, "capped", false, 10)).isEqualTo(200);
    BudgetInfo after = fixture.read(tight.getId());
    assertThat(new BigDecimal(after.getSpentUsd())).isEqualByComparingTo("0.016"); // 6 prompt + 10 completion
    BudgetFixture.awaitSettled(server.jdbi(), tight.getId()); // the idle lease goes back
    assertThat(fixture.read(tight.getId()).getReservedUsd()).isEqualTo("0.00");
  }

  @Test
  void everyBudgetThatCoversACallIsApplied() throws Exception {
    String carol = server.userWithKey("carol");
    server.call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/ai", "{\"changes\":[{\"principal\":\"carol\","
        + "\"add\":[\"USE_CATALOG\",\"USE_SCHEMA\",\"EXECUTE\"]}]}", TestServer.ADMIN_KEY);
    BudgetInfo roomy = fixture.budget("principal", "carol", "100", "month", true, null, null);
    BudgetInfo model = fixture.budget("model", "ai.llm.free", "0.01", "total", true, null, null);
    assertThat(fixture.chat(server, carol, "free", false, 10)).isEqualTo(429);
    BudgetFixture.awaitSettled(server.jdbi(), roomy.getId()); // what the refused call held went back
    assertThat(fixture.read(roomy.getId()).getReservedUsd()).isEqualTo("0.00");
    assertThat(fixture.read(roomy.getId()).getSpentUsd()).isEqualTo("0.00");
    new BudgetsApi(server.admin()).deleteBudget(model.getId());
    assertThat(fixture.chat(server, carol, "free", false, 10)).isEqualTo(200);
    assertThat(new BigDecimal(fixture.read(roomy.getId()).getSpentUsd())).isEqualByComparingTo("0.016");
  }

  @Test
  void aCallRefusedAfterAdmissionReleasesItsHoldAtOnce() throws Exception {
    // no max_tokens the gateway can read: it holds 4096 completion tokens' worth, 4.17 USD of 10
    BudgetInfo hard = fixture.budget("model", "ai.llm.strict", "10", "day", true, null, null);
    for (int i = 0; i < 3; i++) { // were a hold kept, the third would find no room and get 429
      var response = server.call("POST", "/v1/chat/completions", "{\"model\":\"ai.llm.strict\",\"max_tokens\":\"many\","
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", TestServer.ADMIN_KEY);
      assertThat(response.statusCode()).isEqualTo(400);
    }
    BudgetFixture.awaitSettled(server.jdbi(), hard.getId()); // and the idle lease goes back to the budget
    assertThat(fixture.read(hard.getId()).getReservedUsd()).isEqualTo("0.00");
    assertThat(new BigDecimal(fixture.read(hard.getId()).getSpentUsd())).isZero();
    assertThat(server.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM budget_leases")
        .mapTo(Integer.class).one()).intValue()).isZero();
  }

  private static CreateBudget budget(String type, String name) {
    return new CreateBudget().scopeType(type).scopeName(name).amountUsd("10").period("day").hard(true);
  }
}
