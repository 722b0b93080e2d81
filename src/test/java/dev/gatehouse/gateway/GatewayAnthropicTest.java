package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.usage.UsageRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Translation in the live path: OpenAI clients on Anthropic models, Anthropic clients on any model. */
class GatewayAnthropicTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  @RegisterExtension
  static final FakeProvider provider = new FakeProvider();
  private static GatewayFixture fixture;

  @BeforeAll
  static void models() {
    fixture = new GatewayFixture(server);
    fixture.schema("ai", "llm");
    fixture.connection("mock", "MOCK", "{\"completion_tokens\":\"6\"}");
    fixture.connection("fake_anthropic", "ANTHROPIC", "{\"base_url\":\"" + provider.baseUrl()
        + "\",\"api_key\":\"sk-ant-fake\",\"max_retries\":\"0\"}");
    fixture.connection("fake_openai", "OPENAI_COMPATIBLE", "{\"base_url\":\"" + provider.baseUrl()
        + "/v1\",\"max_retries\":\"0\"}");
    fixture.model("claude", "");
    fixture.version("claude", 1, "fake_anthropic", "claude-test", "chat", "champion");
    fixture.model("assistant", "");
    fixture.version("assistant", 1, "mock", "mock-large", "chat", "champion");
    fixture.model("gpt", "");
    fixture.version("gpt", 1, "fake_openai", "gpt-test", "chat", "champion");
  }

  private static OpenAIClient openAi() {
    return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(TestServer.ADMIN_KEY).maxRetries(0)
        .build();
  }

  private static AnthropicClient anthropic() {
    return AnthropicOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(TestServer.ADMIN_KEY).maxRetries(0)
        .build();
  }

  private static MessageCreateParams message(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(64).addUserMessage("Say hello").build();
  }

  @Test
  void openAiClientOnAnAnthropicModel() throws Exception {
    var answer = openAi().chat().completions().create(ChatCompletionCreateParams.builder().model("ai.llm.claude")
        .addSystemMessage("Be brief.").addUserMessage("Say hello").build());
    assertThat(answer.choices().get(0).message().content().orElseThrow()).isEqualTo("Bonjour from claude-test");
    assertThat(answer.usage().orElseThrow().promptTokens()).isEqualTo(11);
    var sent = provider.received().get(provider.received().size() - 1);
    assertThat(sent.path("system").toString()).contains("Be brief.");
    assertThat(sent.path("max_tokens").asLong()).isPositive();
    try (var stream = openAi().chat().completions().createStreaming(ChatCompletionCreateParams.builder()
        .model("ai.llm.claude").addUserMessage("Say hello").build())) {
      String text = stream.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
          .collect(Collectors.joining());
      assertThat(text).isEqualTo("Bonjour from claude-test");
    }
    assertThat(fixture.usageEventually("ai.llm.claude", UsageRecord::streamed)).anySatisfy(r -> {
      assertThat(r.promptTokens()).isEqualTo(11);
      assertThat(r.cachedTokens()).isEqualTo(2);
      assertThat(r.completionTokens()).isEqualTo(4);
      assertThat(r.provider()).isEqualTo("ANTHROPIC");
    });
  }

  @Test
  void untranslatableParametersAre400() {
    var response = server.call("POST", "/v1/chat/completions",
        "{\"model\":\"ai.llm.claude\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"param\":\"n\"");
  }

  @Test
  void anthropicClientPassesThroughToAnthropic() throws Exception {
    Message answer = anthropic().messages().create(message("ai.llm.claude"));
    assertThat(answer.content().get(0).text().orElseThrow().text()).isEqualTo("Bonjour from claude-test");
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = anthropic().messages().createStreaming(message("ai.llm.claude"))) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertThat(accumulator.message().content().get(0).text().orElseThrow().text()).isEqualTo("Bonjour from claude-test");
  }

  @Test
  void anthropicClientOnMockAndOpenAiModels() throws Exception {
    Message mock = anthropic().messages().create(message("ai.llm.assistant"));
    assertThat(mock.content().get(0).text().orElseThrow().text().split(" ")).hasSize(6);
    assertThat(mock.usage().outputTokens()).isEqualTo(6);
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = anthropic().messages().createStreaming(message("ai.llm.assistant"))) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertThat(accumulator.message().content().get(0).text().orElseThrow().text().split(" ")).hasSize(6);
    Message gpt = anthropic().messages().create(message("ai.llm.gpt"));
    assertThat(gpt.content().get(0).text().orElseThrow().text()).isEqualTo("Hello from gpt-test");
    assertThat(fixture.usage("ai.llm.gpt")).anySatisfy(r -> assertThat(r.endpoint()).isEqualTo("messages"));
  }

  @Test
  void anthropicClientsGetAnthropicErrors() {
    var response = server.call("POST", "/v1/messages",
        "{\"model\":\"ai.llm.nothing\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"type\":\"error\"").contains("not_found_error");
    var unauthenticated = server.call("POST", "/v1/messages", "{}", null);
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(unauthenticated.body()).contains("authentication_error");
  }
}
