package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a provider receives: the connection's key in the provider's own header, its extra headers,
 * the path under its base URL; never the caller's key, nor a cookie another call was given.
 */
class UpstreamRequestTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  @RegisterExtension
  static final FakeProvider provider = new FakeProvider();

  @BeforeAll
  static void models() {
    GatewayFixture fixture = new GatewayFixture(server);
    fixture.schema("ai", "llm");
    String base = "\"base_url\":\"" + provider.baseUrl();
    fixture.connection("openai", "OPENAI", "{" + base + "/v1\",\"api_key\":\"sk-openai-secret\","
        + "\"organization\":\"org-7\",\"header.X-Team\":\"search\",\"max_retries\":\"0\"}");
    fixture.connection("azure", "OPENAI_COMPATIBLE", "{" + base + "/v1\",\"api_key\":\"azure-secret\","
        + "\"api_version\":\"2024-06-01\",\"max_retries\":\"0\"}");
    fixture.connection("claude", "ANTHROPIC", "{" + base + "\",\"api_key\":\"sk-ant-secret\",\"max_retries\":\"0\"}");
    for (String name : new String[] {"openai", "azure", "claude"}) {
      fixture.model(name, "");
      fixture.version(name, 1, name, name + "-upstream", "chat", "champion");
    }
  }

  private static FakeProvider.Sent call(String model) {
    HttpResponse<String> response = server.call("POST", "/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return provider.sent().get(provider.sent().size() - 1);
  }

  @Test
  void openAiGetsTheConnectionsKeyAsBearerWithItsOrganizationAndHeaders() {
    FakeProvider.Sent sent = call("ai.llm.openai");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.query()).isNull();
    assertThat(sent.headers()).containsEntry("authorization", "Bearer sk-openai-secret")
        .containsEntry("openai-organization", "org-7").containsEntry("x-team", "search")
        .containsEntry("content-type", "application/json").doesNotContainKey("api-key");
  }

  @Test
  void azureGetsItsApiVersionAndTheKeyInApiKey() {
    FakeProvider.Sent sent = call("ai.llm.azure");
    assertThat(sent.query()).isEqualTo("api-version=2024-06-01");
    assertThat(sent.headers()).containsEntry("api-key", "azure-secret").doesNotContainKey("authorization");
  }

  @Test
  void anthropicGetsXApiKeyAndItsVersion() {
    FakeProvider.Sent sent = call("ai.llm.claude");
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.headers()).containsEntry("x-api-key", "sk-ant-secret")
        .containsEntry("anthropic-version", UpstreamClient.ANTHROPIC_VERSION).doesNotContainKey("authorization");
  }

  @Test
  void neitherTheCallersKeyNorAProvidersCookieIsPassedOn() {
    // every answer of the fake provider sets a cookie; the next calls, whoever makes them, carry none
    for (int i = 0; i < 3; i++) {
      FakeProvider.Sent sent = call(i % 2 == 0 ? "ai.llm.openai" : "ai.llm.claude");
      assertThat(sent.headers()).doesNotContainKey("cookie");
      assertThat(sent.headers().toString()).doesNotContain(TestServer.ADMIN_KEY);
    }
  }

  @Test
  void noCompressionIsAskedFor() {
    // an answer is relayed as the provider sent it and read by its announced length
    assertThat(call("ai.llm.openai").headers()).doesNotContainKey("accept-encoding");
  }
}
