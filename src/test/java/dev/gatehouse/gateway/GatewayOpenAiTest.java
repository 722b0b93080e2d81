package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.usage.UsageRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAI-compatible endpoint driven by the official OpenAI Java SDK. */
class GatewayOpenAiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  @RegisterExtension
  static final FakeProvider provider = new FakeProvider();
  private static GatewayFixture fixture;

  @BeforeAll
  static void models() {
    fixture = new GatewayFixture(server);
    fixture.schema("ai", "llm");
    fixture.connection("mock", "MOCK", "{\"completion_tokens\":\"5\"}");
    fixture.connection("fake_openai", "OPENAI_COMPATIBLE", "{\"base_url\":\"" + provider.baseUrl()
        + "/v1\",\"api_key\":\"sk-fake-upstream-key\",\"max_retries\":\"0\",\"idle_timeout_ms\":\"1000\"}");
    fixture.model("assistant", "");
    fixture.version("assistant", 1, "mock", "mock-large", "chat", "champion");
    fixture.version("assistant", 2, "mock", "mock-small", "chat", "challenger");
    fixture.model("upstream", "");
    fixture.version("upstream", 1, "fake_openai", "gpt-test", "chat", "champion");
    fixture.model("flaky", "\"fallbacks\":[\"challenger\"]");
    fixture.version("flaky", 1, "fake_openai", "gpt-flaky", "chat", "champion");
    fixture.version("flaky", 2, "mock", "mock-backup", "chat", "challenger");
    fixture.connection("slow_mock", "MOCK", "{\"completion_tokens\":\"6\",\"tokens_per_second\":\"2\"}");
    fixture.model("slow", "");
    fixture.version("slow", 1, "slow_mock", "mock-slow", "chat", "champion");
    fixture.model("embedder", "");
    fixture.version("embedder", 1, "fake_openai", "text-embedding-test", "embeddings", "champion");
  }

  private static OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(key).maxRetries(0).build();
  }

  private static ChatCompletionCreateParams params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
  }

  @Test
  void mockAnswersAndEveryCallIsRecorded() {
    ChatCompletion answer = client(TestServer.ADMIN_KEY).chat().completions().create(params("ai.llm.assistant"));
    assertThat(answer.choices().get(0).message().content()).isPresent();
    assertThat(answer.usage().orElseThrow().completionTokens()).isEqualTo(5);
    UsageRecord record = fixture.usage("ai.llm.assistant").stream()
        .filter(r -> r.statusCode() == 200 && "admin".equals(r.principalName()) && !r.streamed()
            && Long.valueOf(1).equals(r.modelVersion()))
        .findFirst().orElseThrow();
    assertThat(record.principalName()).isEqualTo("admin");
    assertThat(record.apiKeyId()).isNotBlank();
    assertThat(record.modelVersion()).isEqualTo(1);
    assertThat(record.alias()).isEqualTo("champion");
    assertThat(record.provider()).isEqualTo("MOCK");
    assertThat(record.upstreamModel()).isEqualTo("mock-large");
    assertThat(record.completionTokens()).isEqualTo(5);
    assertThat(record.promptTokens()).isPositive();
    assertThat(record.streamed()).isFalse();
  }

  @Test
  void streamsArriveChunkByChunkAndAreRecorded() throws Exception {
    try (StreamResponse<ChatCompletionChunk> stream = client(TestServer.ADMIN_KEY).chat().completions()
        .createStreaming(params("ai.llm.assistant@challenger"))) {
      String text = stream.stream().flatMap(c -> c.choices().stream())
          .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
      assertThat(text.split(" ")).hasSize(5);
    }
    List<UsageRecord> records = fixture.usageEventually("ai.llm.assistant", UsageRecord::streamed);
    assertThat(records).anySatisfy(r -> {
      assertThat(r.streamed()).isTrue();
      assertThat(r.alias()).isEqualTo("challenger");
      assertThat(r.modelVersion()).isEqualTo(2);
      assertThat(r.completionTokens()).isEqualTo(5);
    });
  }

  /**
   * The first event must reach the client while the stream is still running, not when it ends: its
   * usage record, written when the stream ends (~2.5 s later here), must not exist yet.
   */
  @Test
  void theFirstEventArrivesBeforeTheStreamEnds() throws Exception {
    var response = java.net.http.HttpClient.newHttpClient().send(server.request("/v1/chat/completions")
        .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"ai.llm.slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    var lines = response.body().iterator();
    String first = lines.next();
    assertThat(first).startsWith("data: ");
    assertThat(fixture.usage("ai.llm.slow")).isEmpty();
    lines.forEachRemaining(line -> { });
    assertThat(fixture.usageEventually("ai.llm.slow", r -> r.streamed())).hasSize(1);
  }

  /** A client that saw [DONE] (or message_stop) can count on the usage record: it is written first. */
  @Test
  void aStreamsFinalEventComesAfterItsUsageRecord() throws Exception {
    for (String[] endpoint : new String[][] {{"/v1/chat/completions", "data: [DONE]"},
        {"/v1/messages", "event: message_stop"}}) {
      int before = fixture.usage("ai.llm.assistant").size();
      var response = java.net.http.HttpClient.newHttpClient().send(server.request(endpoint[0])
          .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"ai.llm.assistant\",\"stream\":true,"
              + "\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
      assertThat(response.statusCode()).isEqualTo(200);
      var lines = response.body().iterator();
      while (!lines.next().equals(endpoint[1])) {
        // read up to the final event, and no further
      }
      assertThat(fixture.usage("ai.llm.assistant")).as(endpoint[0]).hasSize(before + 1);
      lines.forEachRemaining(line -> { });
    }
  }

  @Test
  void openAiUpstreamIsCalledWithItsModelKeyAndUsageRequest() throws Exception {
    provider.mode(FakeProvider.Mode.OK);
    int before = fixture.usage("ai.llm.upstream").size();
    ChatCompletion answer = client(TestServer.ADMIN_KEY).chat().completions().create(params("ai.llm.upstream"));
    assertThat(answer.choices().get(0).message().content().orElseThrow()).isEqualTo("Hello from gpt-test");
    try (StreamResponse<ChatCompletionChunk> stream = client(TestServer.ADMIN_KEY).chat().completions()
        .createStreaming(params("ai.llm.upstream"))) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();
      // the client did not ask for usage: the chunk the gateway asked for is not passed on
      assertThat(chunks).noneMatch(c -> c.usage().isPresent());
    }
    assertThat(provider.received().get(provider.received().size() - 1).path("stream_options")
        .path("include_usage").asBoolean()).isTrue();
    var received = provider.received();
    assertThat(received.subList(received.size() - 2, received.size()))
        .allMatch(r -> r.path("model").asText().equals("gpt-test"));
    List<UsageRecord> records = fixture.usageEventually("ai.llm.upstream", r -> r.streamed() && r.statusCode() == 200);
    records = records.subList(before, records.size());
    assertThat(records).hasSize(2).allSatisfy(r -> {
      assertThat(r.promptTokens()).isEqualTo(11);
      assertThat(r.tokensEstimated()).isFalse();
    });
    assertThat(records.get(0).cachedTokens()).isEqualTo(3);
  }

  @Test
  void missingUsageIsCounted() throws Exception {
    provider.mode(FakeProvider.Mode.NO_USAGE);
    try (StreamResponse<ChatCompletionChunk> stream = client(TestServer.ADMIN_KEY).chat().completions()
        .createStreaming(ChatCompletionCreateParams.builder().model("ai.llm.upstream@1")
            .addUserMessage("count me").build())) {
      stream.stream().forEach(c -> { });
    } finally {
      provider.mode(FakeProvider.Mode.OK);
    }
    assertThat(fixture.usageEventually("ai.llm.upstream", UsageRecord::tokensEstimated)).anySatisfy(r -> {
      assertThat(r.tokensEstimated()).isTrue();
      assertThat(r.completionTokens()).isPositive();
      assertThat(r.alias()).isNull();
    });
  }

  @Test
  void failingChampionFallsBackToChallenger() {
    provider.mode(FakeProvider.Mode.FAIL_500);
    try {
      ChatCompletion answer = client(TestServer.ADMIN_KEY).chat().completions().create(params("ai.llm.flaky"));
      assertThat(answer.choices().get(0).message().content()).isPresent();
    } finally {
      provider.mode(FakeProvider.Mode.OK);
    }
    assertThat(fixture.usage("ai.llm.flaky")).anySatisfy(r -> {
      assertThat(r.alias()).isEqualTo("challenger");
      assertThat(r.statusCode()).isEqualTo(200);
    });
  }

  @Test
  void upstreamFailureWithoutFallbackIs502AndRecorded() {
    provider.mode(FakeProvider.Mode.FAIL_500);
    try {
      assertThatThrownBy(() -> client(TestServer.ADMIN_KEY).chat().completions().create(params("ai.llm.upstream@1")))
          .hasMessageContaining("502");
    } finally {
      provider.mode(FakeProvider.Mode.OK);
    }
    assertThat(fixture.usage("ai.llm.upstream")).anyMatch(r -> r.statusCode() == 502);
  }

  @Test
  void brokenStreamEndsWithAnErrorAndIsRecorded() throws Exception {
    provider.mode(FakeProvider.Mode.RESET_MID_STREAM);
    try {
      var response = server.call("POST", "/v1/chat/completions",
          "{\"model\":\"ai.llm.upstream@1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
          TestServer.ADMIN_KEY);
      assertThat(response.body()).contains("Hello").contains("\"error\"");
    } finally {
      provider.mode(FakeProvider.Mode.OK);
    }
    assertThat(fixture.usageEventually("ai.llm.upstream", r -> r.statusCode() == 502 && r.streamed()))
        .anyMatch(r -> r.statusCode() == 502 && r.streamed());
  }

  @Test
  void stalledStreamIsCutAfterItsIdleTimeout() throws Exception {
    provider.mode(FakeProvider.Mode.STALL_MID_STREAM);
    try {
      var response = server.call("POST", "/v1/chat/completions",
          "{\"model\":\"ai.llm.upstream@1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"y\"}]}",
          TestServer.ADMIN_KEY);
      assertThat(response.body()).contains("\"error\"");
    } finally {
      provider.mode(FakeProvider.Mode.OK);
    }
    assertThat(fixture.usageEventually("ai.llm.upstream", r -> r.statusCode() == 504)).anyMatch(r -> r.statusCode() == 504);
  }

  @Test
  void embeddingsPassThrough() {
    var answer = client(TestServer.ADMIN_KEY).embeddings().create(EmbeddingCreateParams.builder()
        .model("ai.llm.embedder").input("hello").build());
    assertThat(answer.data()).hasSize(1);
    assertThat(server.call("POST", "/v1/embeddings", "{\"model\":\"ai.llm.assistant\",\"input\":\"x\"}",
        TestServer.ADMIN_KEY).statusCode()).isEqualTo(400);
  }

  @Test
  void permissionsDecideWhoCalls() {
    String key = server.userWithKey("caller_without_grants");
    assertThatThrownBy(() -> client(key).chat().completions().create(params("ai.llm.assistant")))
        .isInstanceOf(NotFoundException.class);
    fixture.admin("PATCH", "/api/2.1/unity-catalog/permissions/catalog/ai",
        "{\"changes\":[{\"principal\":\"caller_without_grants\",\"add\":[\"USE_CATALOG\",\"USE_SCHEMA\",\"BROWSE\"]}]}");
    assertThatThrownBy(() -> client(key).chat().completions().create(params("ai.llm.assistant")))
        .isInstanceOf(PermissionDeniedException.class);
    fixture.admin("PATCH", "/api/2.1/unity-catalog/permissions/schema/ai.llm",
        "{\"changes\":[{\"principal\":\"caller_without_grants\",\"add\":[\"EXECUTE\"]}]}");
    assertThat(client(key).chat().completions().create(params("ai.llm.assistant")).choices()).hasSize(1);
    assertThat(client(key).models().list().data()).extracting(m -> m.id()).contains("ai.llm.assistant");
    assertThatThrownBy(() -> client("ghk_wrong-key-0123456789abcdefghijklmnopqrstuv").chat().completions()
        .create(params("ai.llm.assistant"))).isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> client(TestServer.ADMIN_KEY).chat().completions().create(params("ai.llm.nothing")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void xApiKeyHeaderIsAcceptedOnV1() {
    var response = server.send(server.request("/v1/models").header("x-api-key", TestServer.ADMIN_KEY));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("ai.llm.assistant");
  }

  @Test
  void anAliasMoveSwitchesTrafficOnTheNextRequest() {
    fixture.model("switch", "");
    fixture.version("switch", 1, "mock", "mock-one", "chat", "champion");
    fixture.version("switch", 2, "mock", "mock-two", "chat");
    client(TestServer.ADMIN_KEY).chat().completions().create(params("ai.llm.switch"));
    fixture.alias("switch", "champion", 2);
    client(TestServer.ADMIN_KEY).chat().completions().create(params("ai.llm.switch"));
    assertThat(fixture.usage("ai.llm.switch")).extracting(UsageRecord::modelVersion).containsExactly(1L, 2L);
  }

  @Test
  void weightedRoutesSplitTraffic() {
    fixture.model("split", "\"serving_routes\":[{\"alias\":\"champion\",\"weight\":90},"
        + "{\"alias\":\"challenger\",\"weight\":10}]");
    fixture.version("split", 1, "mock", "mock-a", "chat", "champion");
    fixture.version("split", 2, "mock", "mock-b", "chat", "challenger");
    String body = "{\"model\":\"ai.llm.split\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}";
    int requests = 2000;
    for (int i = 0; i < requests; i++) {
      assertThat(server.call("POST", "/v1/chat/completions", body, TestServer.ADMIN_KEY).statusCode()).isEqualTo(200);
    }
    long champion = fixture.usage("ai.llm.split").stream().filter(r -> "champion".equals(r.alias())).count();
    assertThat(champion * 100.0 / requests).isBetween(85.0, 95.0);
  }
}
