package dev.gatehouse.gateway.translate;

import static dev.gatehouse.gateway.translate.Fixtures.assertSameJson;
import static dev.gatehouse.gateway.translate.Fixtures.json;
import static dev.gatehouse.gateway.translate.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseTranslationTest {
  private static final String MODEL = "demo.llm.assistant";

  private static ObjectNode anthropicText(String stopReason) {
    return parse("{\"id\": \"msg_1\", \"type\": \"message\", \"role\": \"assistant\", \"model\": \"claude\","
        + " \"content\": [{\"type\": \"text\", \"text\": \"Hello.\"}], \"stop_reason\": \"" + stopReason + "\","
        + " \"stop_sequence\": null, \"usage\": {\"input_tokens\": 10, \"output_tokens\": 2}}");
  }

  private static ObjectNode openAiMessage(String message, String finishReason) {
    return parse("{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", \"created\": 1, \"model\": \"gpt-4o\","
        + " \"choices\": [{\"index\": 0, \"message\": " + message + ", \"finish_reason\": \"" + finishReason + "\"}]}");
  }

  @Test
  void anthropicMessageBecomesAChatCompletion() {
    long before = Instant.now().getEpochSecond();
    ObjectNode out = AnthropicTranslation.toOpenAiResponse(json("anthropic-response.json"), MODEL);
    assertThat(out.get("created").asLong()).isBetween(before, Instant.now().getEpochSecond());
    out.remove("created");
    assertSameJson(out, json("openai-response-from-anthropic.json"));
  }

  @ParameterizedTest
  @CsvSource({"end_turn, stop", "stop_sequence, stop", "max_tokens, length", "tool_use, tool_calls",
      "refusal, content_filter", "pause_turn, stop"})
  void mapsStopReasons(String stopReason, String finishReason) {
    ObjectNode out = AnthropicTranslation.toOpenAiResponse(anthropicText(stopReason), MODEL);
    assertThat(out.path("choices").get(0).get("finish_reason").asText()).isEqualTo(finishReason);
    assertThat(out.path("choices").get(0).path("message").has("tool_calls")).isFalse();
  }

  @Test
  void aMessageWithoutTextHasNullContent() {
    ObjectNode message = anthropicText("end_turn");
    message.putArray("content");
    ObjectNode out = AnthropicTranslation.toOpenAiResponse(message, MODEL);
    assertThat(out.path("choices").get(0).path("message").get("content").isNull()).isTrue();
  }

  @Test
  void chatCompletionBecomesAnAnthropicMessage() {
    assertSameJson(AnthropicTranslation.toAnthropicResponse(json("openai-response.json"), MODEL),
        json("anthropic-response-from-openai.json"));
  }

  @ParameterizedTest
  @CsvSource({"stop, end_turn", "length, max_tokens", "tool_calls, tool_use", "function_call, tool_use",
      "content_filter, refusal"})
  void mapsFinishReasons(String finishReason, String stopReason) {
    ObjectNode out = AnthropicTranslation.toAnthropicResponse(
        openAiMessage("{\"role\": \"assistant\", \"content\": \"Hello.\"}", finishReason), MODEL);
    assertThat(out.get("stop_reason").asText()).isEqualTo(stopReason);
    assertSameJson(out.get("content"), parse("{\"c\": [{\"type\": \"text\", \"text\": \"Hello.\"}]}").get("c"));
  }

  @Test
  void aRefusalIsShownAsTextWithStopReasonRefusal() {
    ObjectNode out = AnthropicTranslation.toAnthropicResponse(
        openAiMessage("{\"role\": \"assistant\", \"content\": null, \"refusal\": \"I can't help with that.\"}",
            "stop"), MODEL);
    assertThat(out.get("stop_reason").asText()).isEqualTo("refusal");
    assertThat(out.path("content").get(0).get("text").asText()).isEqualTo("I can't help with that.");
  }

  @Test
  void aCompletionWithoutUsageReportsZeroTokens() {
    ObjectNode out = AnthropicTranslation.toAnthropicResponse(
        openAiMessage("{\"role\": \"assistant\", \"content\": \"\"}", "stop"), MODEL);
    assertThat(out.get("content")).isEmpty();
    assertSameJson(out.get("usage"), parse("{\"input_tokens\": 0, \"cache_creation_input_tokens\": 0,"
        + " \"cache_read_input_tokens\": 0, \"output_tokens\": 0}"));
  }

  @Test
  void malformedUpstreamAnswersAreTheUpstreamsFault() {
    assertThatThrownBy(() -> AnthropicTranslation.toAnthropicResponse(
        parse("{\"id\": \"chatcmpl-1\", \"choices\": []}"), MODEL))
        .isInstanceOf(UpstreamResponseException.class).hasMessageContaining("no choices");
    assertThatThrownBy(() -> AnthropicTranslation.toAnthropicResponse(openAiMessage("""
        {"role": "assistant", "content": null, "tool_calls": [
          {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\\"city\\": "}}]}""",
        "tool_calls"), MODEL))
        .isInstanceOf(UpstreamResponseException.class).hasMessageContaining("tool arguments");
  }
}
