package dev.gatehouse.gateway.translate;

import static dev.gatehouse.gateway.translate.Fixtures.assertSameJson;
import static dev.gatehouse.gateway.translate.Fixtures.json;
import static dev.gatehouse.gateway.translate.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiToAnthropicRequestTest {
  private static final String MODEL = "claude-sonnet-4-5";

  /** A minimal valid request with {@code extra} fields set over it. */
  private static ObjectNode request(String extra) {
    ObjectNode request = parse("""
        {"model": "demo.llm.assistant", "messages": [{"role": "user", "content": "Hi"}]}""");
    request.setAll(parse(extra));
    return request;
  }

  private static ObjectNode translate(String extra) {
    return AnthropicTranslation.toAnthropicRequest(request(extra), MODEL);
  }

  @Test
  void translatesSystemTurnsToolsImagesAndSampling() {
    assertSameJson(AnthropicTranslation.toAnthropicRequest(json("openai-request.json"), MODEL),
        json("anthropic-request-from-openai.json"));
  }

  @Test
  void aSingleSystemMessageStaysAString() {
    ObjectNode out = translate("{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
        + " {\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(out.get("system").asText()).isEqualTo("Be brief.");
    assertSameJson(out.get("messages"), parse("""
        {"m": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}]}""").get("m"));
  }

  @Test
  void ignorableParametersLeaveNoTrace() {
    ObjectNode out = translate("""
        {"seed": 1, "store": true, "metadata": {"a": "b"}, "parallel_tool_calls": true,
         "stream_options": {"include_usage": true}, "presence_penalty": 0, "frequency_penalty": 0,
         "n": 1, "logprobs": false, "service_tier": "auto", "top_logprobs": null}""");
    assertThat(out.properties()).extracting(e -> e.getKey()).containsExactly("model", "max_tokens", "messages");
  }

  @Test
  void maxTokensDefaultsTo4096AndPrefersMaxCompletionTokens() {
    assertThat(translate("{}").get("max_tokens").asLong()).isEqualTo(4096);
    assertThat(translate("{\"max_tokens\": 300}").get("max_tokens").asLong()).isEqualTo(300);
    assertThat(translate("{\"max_tokens\": 300, \"max_completion_tokens\": 200}").get("max_tokens").asLong())
        .isEqualTo(200);
  }

  @Test
  void aStopStringBecomesOneStopSequence() {
    assertSameJson(translate("{\"stop\": \"END\"}").get("stop_sequences"), parse("{\"s\": [\"END\"]}").get("s"));
  }

  @Test
  void temperatureIsClampedToAnthropicsRangeOnlyAboveOne() {
    assertThat(translate("{\"temperature\": 0.7}").get("temperature").asDouble()).isEqualTo(0.7);
    assertThat(translate("{\"temperature\": 2}").get("temperature").asDouble()).isEqualTo(1.0);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      "auto"                                                | {"type": "auto"}
      "none"                                                | {"type": "none"}
      "required"                                            | {"type": "any"}
      {"type": "function", "function": {"name": "get_time"}} | {"type": "tool", "name": "get_time"}
      """)
  void mapsToolChoice(String openAi, String anthropic) {
    ObjectNode out = translate("{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_time\"}}],"
        + " \"tool_choice\": " + openAi + "}");
    assertSameJson(out.get("tool_choice"), parse(anthropic));
  }

  @Test
  void parallelToolCallsFalseDisablesParallelToolUse() {
    ObjectNode out = translate("{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_time\"}}],"
        + " \"parallel_tool_calls\": false}");
    assertSameJson(out.get("tool_choice"), parse("{\"type\": \"auto\", \"disable_parallel_tool_use\": true}"));
  }

  @Test
  void toolResultsComeFirstInTheMergedUserMessage() {
    ObjectNode out = translate("""
        {"messages": [
          {"role": "user", "content": "What time is it?"},
          {"role": "assistant", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_time", "arguments": ""}}]},
          {"role": "user", "content": "Quickly please."},
          {"role": "tool", "tool_call_id": "call_1", "content": "12:00"}
        ]}""");
    assertSameJson(out.get("messages"), parse("""
        {"m": [
          {"role": "user", "content": [{"type": "text", "text": "What time is it?"}]},
          {"role": "assistant", "content": [{"type": "tool_use", "id": "call_1", "name": "get_time", "input": {}}]},
          {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "call_1", "content": "12:00"},
            {"type": "text", "text": "Quickly please."}]}
        ]}""").get("m"));
  }

  @Test
  void anEmptyAssistantMessageIsDroppedAndItsNeighboursMerged() {
    ObjectNode out = translate("""
        {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": ""},
                      {"role": "user", "content": [{"type": "text", "text": "b"}]}]}""");
    assertSameJson(out.get("messages"), parse("""
        {"m": [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]}""")
        .get("m"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      n                  | {"n": 2}
      logprobs           | {"logprobs": true}
      top_logprobs       | {"top_logprobs": 3}
      response_format    | {"response_format": {"type": "json_object"}}
      response_format    | {"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}}
      logit_bias         | {"logit_bias": {"50256": -100}}
      audio              | {"audio": {"voice": "alloy", "format": "wav"}}
      modalities         | {"modalities": ["text", "audio"]}
      presence_penalty   | {"presence_penalty": 0.5}
      frequency_penalty  | {"frequency_penalty": -0.5}
      functions          | {"functions": [{"name": "f"}]}
      function_call      | {"function_call": "auto"}
      reasoning_effort   | {"reasoning_effort": "high"}
      web_search_options | {"web_search_options": {}}
      max_tokens         | {"max_tokens": 0}
      max_completion_tokens | {"max_completion_tokens": 1.5}
      tool_choice        | {"tool_choice": "sometimes"}
      tools[0].type      | {"tools": [{"type": "custom", "custom": {"name": "grammar"}}]}
      messages           | {"messages": []}
      messages           | {"messages": [{"role": "system", "content": "Be brief."}]}
      messages[0].role   | {"messages": [{"role": "function", "name": "f", "content": "x"}]}
      messages[0].content | {"messages": [{"role": "user", "content": 42}]}
      messages[0].content[0].type | {"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "UklG", "format": "wav"}}]}]}
      messages[0].content[0].type | {"messages": [{"role": "system", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]}
      messages[0].content[1].image_url.url | {"messages": [{"role": "user", "content": [{"type": "text", "text": "see"}, {"type": "image_url", "image_url": {"url": "ftp://x/y.png"}}]}]}
      messages[1].tool_calls[0].function.arguments | {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{city: Oslo"}}]}]}
      messages[1].tool_calls[0].function.arguments | {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "[1, 2]"}}]}]}
      messages[1].tool_call_id | {"messages": [{"role": "user", "content": "a"}, {"role": "tool", "content": "12:00"}]}
      """)
  void refusesWhatAnthropicCannotDoNamingTheParameter(String param, String extra) {
    assertThatThrownBy(() -> translate(extra)).isInstanceOfSatisfying(TranslationException.class, e -> {
      assertThat(e.param()).isEqualTo(param);
      assertThat(e.getMessage()).contains("'" + param + "'");
    });
  }
}
