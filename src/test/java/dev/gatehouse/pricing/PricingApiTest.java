package dev.gatehouse.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.gatehouse.gateway.FakeProvider;
import dev.gatehouse.gateway.GatewayFixture;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.usage.UsageRecord;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every usage record is costed exactly at the price in force; unpriced models are refused (the default). */
class PricingApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer().denyUnpriced();
  @RegisterExtension
  static final FakeProvider provider = new FakeProvider();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static GatewayFixture fixture;

  @BeforeAll
  static void models() {
    fixture = new GatewayFixture(server);
    fixture.schema("ai", "llm");
    fixture.connection("oa", "OPENAI", "{\"base_url\":\"" + provider.baseUrl()
        + "/v1\",\"api_key\":\"sk-fake\",\"max_retries\":\"0\"}");
    fixture.connection("an", "ANTHROPIC", "{\"base_url\":\"" + provider.baseUrl()
        + "\",\"api_key\":\"sk-ant-fake\",\"max_retries\":\"0\"}");
    fixture.connection("mock", "MOCK", "{\"completion_tokens\":\"5\"}");
    fixture.model("gpt", "");
    // a dated snapshot: priced by the gpt-4o entry
    fixture.version("gpt", 1, "oa", "gpt-4o-2024-08-06", "chat", "champion");
    fixture.model("claude", "");
    fixture.version("claude", 1, "an", "claude-sonnet-4-5-20250929", "chat", "champion");
    fixture.model("unpriced", "");
    fixture.version("unpriced", 1, "oa", "no-such-model", "chat", "champion");
    fixture.model("overridden", "");
    fixture.version("overridden", 1, "oa", "gpt-4.1", "chat", "champion");
    fixture.model("demo", "");
    fixture.version("demo", 1, "mock", "mock-large", "chat", "champion");
  }

  private static OpenAIClient openAi() {
    return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(TestServer.ADMIN_KEY).maxRetries(0)
        .build();
  }

  private static ChatCompletionCreateParams params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
  }

  private static UsageRecord last(String model) {
    List<UsageRecord> records = fixture.usage(model);
    return records.get(records.size() - 1);
  }

  @Test
  void shippedPricesCarryTheirDateAndSources() throws Exception {
    JsonNode list = JSON.readTree(fixture.admin("GET", "/api/1.0/gatehouse/pricing", null).body());
    assertThat(list.path("taken_on").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(list.path("sources")).isNotEmpty();
    assertThat(list.path("unpriced_models").asText()).isEqualTo("deny");
    assertThat(list.path("prices").findValuesAsText("upstream_model"))
        .contains("gpt-4o", "gpt-4.1", "gpt-5", "o3", "o4-mini", "claude-sonnet-4-5", "claude-opus-4-1", "claude-3-5-haiku-20241022");
    String someone = server.userWithKey("price_reader");
    assertThat(server.call("GET", "/api/1.0/gatehouse/pricing", null, someone).statusCode()).isEqualTo(200);
  }

  @Test
  void openAiUsageIsCostedWithCachedTokensAtTheCachedPrice() {
    openAi().chat().completions().create(params("ai.llm.gpt"));
    UsageRecord r = last("ai.llm.gpt");
    // the fake reports 11 prompt tokens of which 3 cached, 7 completion: gpt-4o is 2.50 / 1.25 / 10.00
    assertThat(r.promptTokens()).isEqualTo(11);
    assertThat(r.cachedTokens()).isEqualTo(3);
    assertThat(r.costUsd()).isEqualByComparingTo(new BigDecimal("0.00009375")); // (8*2.50 + 3*1.25 + 7*10) / 1e6
    assertThat(r.priceRef()).contains("provider:openai/gpt-4o");
    assertThat(r.unpriced()).isFalse();
  }

  @Test
  void anthropicUsageIsCostedWithInputTokensThatExcludeCachedOnes() {
    var response = server.call("POST", "/v1/messages", "{\"model\":\"ai.llm.claude\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    UsageRecord r = last("ai.llm.claude");
    // Anthropic reports input 9 + cache read 2 (OpenAI's convention: 11 prompt, 2 cached), output 4
    assertThat(r.promptTokens()).isEqualTo(11);
    assertThat(r.cachedTokens()).isEqualTo(2);
    assertThat(r.costUsd()).isEqualByComparingTo(new BigDecimal("0.0000876")); // (9*3 + 2*0.30 + 4*15) / 1e6
  }

  @Test
  void aModelWithoutAPriceIsRefusedBeforeTheProviderAndRecorded() {
    int before = provider.calls();
    assertThatThrownBy(() -> openAi().chat().completions().create(params("ai.llm.unpriced")))
        .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains("no price");
        });
    assertThat(provider.calls()).isEqualTo(before);
    UsageRecord r = last("ai.llm.unpriced");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.errorType()).isEqualTo("model_not_priced");
    assertThat(r.costUsd()).isZero();
    var anthropic = server.call("POST", "/v1/messages", "{\"model\":\"ai.llm.unpriced\",\"max_tokens\":8,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", TestServer.ADMIN_KEY);
    assertThat(anthropic.statusCode()).isEqualTo(403);
    assertThat(anthropic.body()).contains("\"type\":\"error\"").contains("permission_error");
  }

  @Test
  void aConnectionsOwnPriceWinsOverItsProvidersAndCanPriceTheUnpriced() throws Exception {
    String body = """
        [{"connection_name":"oa","upstream_model":"gpt-4.1","input_per_million_usd":"1.00","output_per_million_usd":"2"},
         {"provider":"openai","upstream_model":"gpt-4.1","input_per_million_usd":"9","output_per_million_usd":"9"},
         {"connection_name":"oa","upstream_model":"no-such-model","input_per_million_usd":"0.5","output_per_million_usd":"0.5",
          "cached_input_per_million_usd":"0.25"}]""";
    JsonNode list = JSON.readTree(fixture.admin("PUT", "/api/1.0/gatehouse/pricing", body).body());
    assertThat(list.path("prices").findValuesAsText("source")).contains("override", "builtin");
    openAi().chat().completions().create(params("ai.llm.overridden"));
    // cached input defaults to the input price: (11*1.00 + 7*2.00) / 1e6
    assertThat(last("ai.llm.overridden").costUsd()).isEqualByComparingTo(new BigDecimal("0.000025"));
    openAi().chat().completions().create(params("ai.llm.unpriced"));
    assertThat(last("ai.llm.unpriced").costUsd()).isEqualByComparingTo(new BigDecimal("0.00000825")); // 8*.5 + 3*.25 + 7*.5
    // a PUT replaces the overrides: the model is unpriced again
    fixture.admin("PUT", "/api/1.0/gatehouse/pricing", "[]");
    assertThatThrownBy(() -> openAi().chat().completions().create(params("ai.llm.unpriced")))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void theDemoMockModelIsPricedSoReportsShowMoney() {
    openAi().chat().completions().create(params("ai.llm.demo"));
    UsageRecord r = last("ai.llm.demo");
    assertThat(r.costUsd()).isPositive();
    assertThat(r.costUsd()).isEqualByComparingTo(BigDecimal.valueOf(r.promptTokens() * 100 + r.completionTokens() * 200, 8));
  }

  @Test
  void badPriceEntriesAreRefused() {
    String user = server.userWithKey("price_setter");
    String entry = "[{\"provider\":\"openai\",\"upstream_model\":\"x\",\"input_per_million_usd\":\"1\",\"output_per_million_usd\":\"1\"}]";
    assertThat(server.call("PUT", "/api/1.0/gatehouse/pricing", entry, user).statusCode()).isEqualTo(403);
    for (String bad : List.of(
        "[{\"upstream_model\":\"x\",\"input_per_million_usd\":\"1\",\"output_per_million_usd\":\"1\"}]",
        "[{\"provider\":\"openai\",\"connection_name\":\"oa\",\"upstream_model\":\"x\",\"input_per_million_usd\":\"1\",\"output_per_million_usd\":\"1\"}]",
        "[{\"provider\":\"acme\",\"upstream_model\":\"x\",\"input_per_million_usd\":\"1\",\"output_per_million_usd\":\"1\"}]",
        "[{\"provider\":\"openai\",\"upstream_model\":\"x\",\"input_per_million_usd\":\"-1\",\"output_per_million_usd\":\"1\"}]",
        "[{\"provider\":\"openai\",\"upstream_model\":\"x\",\"input_per_million_usd\":\"0.00001\",\"output_per_million_usd\":\"1\"}]",
        "[{\"provider\":\"openai\",\"upstream_model\":\"x\",\"input_per_million_usd\":\"abc\",\"output_per_million_usd\":\"1\"}]",
        entry.replace("]", "," + entry.substring(1)))) {
      var response = server.call("PUT", "/api/1.0/gatehouse/pricing", bad, TestServer.ADMIN_KEY);
      assertThat(response.statusCode()).as(bad + " -> " + response.body()).isEqualTo(400);
    }
    var missing = server.call("PUT", "/api/1.0/gatehouse/pricing", "[{\"connection_name\":\"nope\",\"upstream_model\":\"x\","
        + "\"input_per_million_usd\":\"1\",\"output_per_million_usd\":\"1\"}]", TestServer.ADMIN_KEY);
    assertThat(missing.statusCode()).isEqualTo(404);
  }
}
