package dev.gatehouse.gateway.translate;

import static dev.gatehouse.gateway.translate.Fixtures.assertSameJson;
import static dev.gatehouse.gateway.translate.Fixtures.json;
import static dev.gatehouse.gateway.translate.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsageReaderTest {
  @Test
  void anthropicPromptTokensAddBothCachePartsToInputTokens() {
    // input_tokens 21 + cache_read 1024 + cache_creation 188
    assertThat(UsageReader.fromAnthropic(json("anthropic-response.json"))).isEqualTo(new Usage(1233, 57, 1024, 188));
  }

  @Test
  void openAiPromptTokensAlreadyIncludeCachedOnes() {
    assertThat(UsageReader.fromOpenAi(json("openai-response.json"))).isEqualTo(new Usage(1117, 46, 1024, 0));
  }

  @Test
  void noUsageIsNullNotZero() {
    assertThat(UsageReader.fromOpenAi(parse("{\"id\": \"chatcmpl-1\", \"choices\": []}"))).isNull();
    assertThat(UsageReader.fromOpenAiChunk(parse("{\"id\": \"chatcmpl-1\", \"choices\": [], \"usage\": null}")))
        .isNull();
    assertThat(UsageReader.fromAnthropic(parse("{\"id\": \"msg_1\"}"))).isNull();
  }

  @Test
  void writesBackEachProvidersConvention() {
    Usage usage = new Usage(1233, 57, 1024, 188);
    assertSameJson(usage.toAnthropicJson(), parse("{\"input_tokens\": 21, \"cache_creation_input_tokens\": 188,"
        + " \"cache_read_input_tokens\": 1024, \"output_tokens\": 57}"));
    assertSameJson(usage.toOpenAiJson(), parse("{\"prompt_tokens\": 1233, \"completion_tokens\": 57,"
        + " \"total_tokens\": 1290, \"prompt_tokens_details\": {\"cached_tokens\": 1024}}"));
  }

  @Test
  void uncachedPromptTokensNeverGoNegative() {
    assertThat(new Usage(10, 0, 50, 0).uncachedPromptTokens()).isZero();
  }
}
