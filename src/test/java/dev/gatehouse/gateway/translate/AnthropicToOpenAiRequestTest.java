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

class AnthropicToOpenAiRequestTest {
  private static final String MODEL = "gpt-4o";

  /** A minimal valid Messages request with {@code extra} fields set over it. */
  private static ObjectNode translate(String extra) {
    ObjectNode request = parse("{\"model\": \"demo.llm.assistant\", \"max_tokens\": 100,"
        + " \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    request.setAll(parse(extra));
    return AnthropicTranslation.toOpenAiRequest(request, MODEL);
  }

  @Test
  void translatesSystemTurnsToolsImagesAndSampling() {
    assertSameJson(AnthropicTranslation.toOpenAiRequest(json("anthropic-request.json"), MODEL),
        json("openai-request-from-anthropic.json"));
  }

  @Test
  void aPlainRequestStaysPlain() {
    assertSameJson(translate("{}"), parse("""
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 100}"""));
  }

  @Test
  void onlyAStreamedRequestAsksForUsage() {
    assertThat(translate("{\"stream\": false}").has("stream_options")).isFalse();
    assertThat(translate("{\"stream\": true}").path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void severalSystemBlocksStayApartAndDisabledThinkingIsAccepted() {
    ObjectNode out = translate("""
        {"system": [{"type": "text", "text": "One."}, {"type": "text", "text": "Two."}],
         "thinking": {"type": "disabled"}}""");
    assertSameJson(out.path("messages").get(0), parse("""
        {"role": "system", "content": [{"type": "text", "text": "One."}, {"type": "text", "text": "Two."}]}"""));
  }

  @Test
  void anAssistantTurnOfOnlyToolUseHasNullContent() {
    ObjectNode out = translate("""
        {"messages": [{"role": "user", "content": "Time?"},
          {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_time", "input": {}}]},
          {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true}]}]}""");
    assertSameJson(out.get("messages"), parse("""
        {"m": [{"role": "user", "content": "Time?"},
          {"role": "assistant", "content": null, "tool_calls": [
            {"id": "toolu_1", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]},
          {"role": "tool", "tool_call_id": "toolu_1", "content": ""}]}""").get("m"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"type": "auto"}                         | "auto"
      {"type": "any"}                          | "required"
      {"type": "none"}                         | "none"
      {"type": "tool", "name": "get_time"}     | {"type": "function", "function": {"name": "get_time"}}
      """)
  void mapsToolChoice(String anthropic, String openAi) {
    ObjectNode out = translate("{\"tools\": [{\"name\": \"get_time\", \"input_schema\": {\"type\": \"object\"}}],"
        + " \"tool_choice\": " + anthropic + "}");
    assertSameJson(out.get("tool_choice"), parse("{\"v\": " + openAi + "}").get("v"));
    assertThat(out.has("parallel_tool_calls")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      top_k            | {"top_k": 40}
      thinking         | {"thinking": {"type": "enabled", "budget_tokens": 2048}}
      tools[0].type    | {"tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 5}]}
      tool_choice.type | {"tool_choice": {"type": "sometimes"}}
      system[0].type   | {"system": [{"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}]}
      messages         | {"messages": []}
      messages[0].role | {"messages": [{"role": "system", "content": "x"}]}
      messages[0].content[0].type | {"messages": [{"role": "user", "content": [{"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0x"}}]}]}
      messages[0].content[0].source.type | {"messages": [{"role": "user", "content": [{"type": "image", "source": {"type": "file", "file_id": "file_011"}}]}]}
      messages[0].content[0].content[0].type | {"messages": [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": [{"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}]}]}]}
      messages[0].content[0].type | {"messages": [{"role": "assistant", "content": [{"type": "server_tool_use", "id": "s", "name": "web_search", "input": {}}]}]}
      """)
  void refusesWhatOpenAiCannotDoNamingTheParameter(String param, String extra) {
    assertThatThrownBy(() -> translate(extra)).isInstanceOfSatisfying(TranslationException.class, e -> {
      assertThat(e.param()).isEqualTo(param);
      assertThat(e.getMessage()).contains("'" + param + "'");
    });
  }
}
