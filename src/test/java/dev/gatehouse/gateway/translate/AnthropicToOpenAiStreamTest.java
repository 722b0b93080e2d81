package dev.gatehouse.gateway.translate;

import static dev.gatehouse.gateway.translate.Fixtures.assertSameJson;
import static dev.gatehouse.gateway.translate.Fixtures.parse;
import static dev.gatehouse.gateway.translate.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiStreamTest {
  private static final String MODEL = "demo.llm.assistant";

  private static List<ObjectNode> run(AnthropicToOpenAiStream stream, List<SseEvent> events) {
    List<ObjectNode> chunks = new ArrayList<>();
    for (SseEvent event : events) {
      chunks.addAll(stream.onEvent(event.event(), event.data()));
    }
    return chunks;
  }

  private static ObjectNode messageStart() {
    return parse("""
        {"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [],
         "model": "claude", "stop_reason": null, "stop_sequence": null,
         "usage": {"input_tokens": 12, "cache_creation_input_tokens": 300, "cache_read_input_tokens": 0,
                   "output_tokens": 1}}}""");
  }

  @Test
  void textAndAToolCallInFragmentsBecomeChunksEndingWithUsage() {
    long before = Instant.now().getEpochSecond();
    AnthropicToOpenAiStream stream = new AnthropicToOpenAiStream(MODEL, true);
    List<ObjectNode> chunks = run(stream, sse("anthropic-stream.sse"));

    long created = chunks.get(0).get("created").asLong();
    assertThat(created).isBetween(before, Instant.now().getEpochSecond());
    for (ObjectNode chunk : chunks) {
      assertThat(chunk.remove("created").asLong()).isEqualTo(created); // one completion, one timestamp
    }
    assertSameJson(Json.array().addAll(chunks), Fixtures.jsonArray("openai-chunks-from-anthropic.json"));
    assertThat(stream.usage()).isEqualTo(new Usage(2520, 89, 2048, 0));
  }

  @Test
  void withoutIncludeUsageNoChunkMentionsUsage() {
    List<ObjectNode> chunks = run(new AnthropicToOpenAiStream(MODEL, false), sse("anthropic-stream.sse"));
    assertThat(chunks).hasSize(9).allSatisfy(chunk -> assertThat(chunk.has("usage")).isFalse());
    assertThat(chunks.get(8).path("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void usageCountsCacheWritesAndTheLastOutputCount() {
    AnthropicToOpenAiStream stream = new AnthropicToOpenAiStream(MODEL, true);
    assertThat(stream.usage()).isNull();
    stream.onEvent("message_start", messageStart());
    assertThat(stream.usage()).isEqualTo(new Usage(312, 1, 0, 300));
    List<ObjectNode> finish = stream.onEvent("message_delta", parse("""
        {"type": "message_delta", "delta": {"stop_reason": "max_tokens", "stop_sequence": null},
         "usage": {"output_tokens": 100, "server_tool_use": {"web_search_requests": 0}}}"""));
    assertThat(finish.get(0).path("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
    assertThat(stream.usage()).isEqualTo(new Usage(312, 100, 0, 300));
    List<ObjectNode> last = stream.onEvent("message_stop", parse("{\"type\": \"message_stop\"}"));
    assertThat(last).singleElement().satisfies(chunk -> {
      assertThat(chunk.get("choices")).isEmpty();
      assertThat(chunk.path("usage").get("prompt_tokens").asLong()).isEqualTo(312);
    });
  }

  @Test
  void thinkingIsSkippedAndToolCallsAreNumberedAmongThemselves() {
    AnthropicToOpenAiStream stream = new AnthropicToOpenAiStream(MODEL, false);
    stream.onEvent("message_start", messageStart());
    assertThat(stream.onEvent("content_block_start", parse("""
        {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}""")))
        .isEmpty();
    assertThat(stream.onEvent("content_block_delta", parse("""
        {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "Hmm"}}""")))
        .isEmpty();
    // No event name given: the data's own type is used, as when the lead parses only data lines.
    List<ObjectNode> start = stream.onEvent(null, parse("{\"type\": \"content_block_start\", \"index\": 1,"
        + " \"content_block\": {\"type\": \"tool_use\", \"id\": \"toolu_1\", \"name\": \"get_time\", \"input\": {}}}"));
    assertThat(start.get(0).path("choices").get(0).path("delta").path("tool_calls").get(0).get("index").asInt())
        .isZero();
  }

  @Test
  void anErrorEventBecomesAnOpenAiErrorObject() {
    List<ObjectNode> out = new AnthropicToOpenAiStream(MODEL, true).onEvent("error", parse(
        "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}"));
    assertSameJson(out.get(0), parse(
        "{\"error\": {\"message\": \"Overloaded\", \"type\": \"overloaded_error\", \"param\": null, \"code\": null}}"));
  }

  @Test
  void assemblesToTheSameMessageAsTheNonStreamedTranslation() {
    ObjectNode streamed = Fixtures.assembleOpenAi(run(new AnthropicToOpenAiStream(MODEL, true),
        sse("anthropic-stream.sse")));
    assertThat(streamed.get("content").asText()).isEqualTo("Okay, let me check the weather.");
    assertSameJson(streamed.get("tool_calls"), parse("""
        {"0": {"id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "name": "get_weather", "arguments": "{\\"city\\": \\"Oslo\\", \\"unit\\": \\"celsius\\"}"},
         "1": {"id": "toolu_01Vb8kZ3mQfD7rW2sLpN4xYc", "name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}"""));
  }
}
