package dev.gatehouse.gateway.translate;

import static dev.gatehouse.gateway.translate.Fixtures.assertSameJson;
import static dev.gatehouse.gateway.translate.Fixtures.parse;
import static dev.gatehouse.gateway.translate.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicStreamTest {
  private static final String MODEL = "demo.llm.assistant";

  private static List<SseEvent> run(OpenAiToAnthropicStream stream, List<SseEvent> chunks) {
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent chunk : chunks) {
      events.addAll(stream.onChunk(chunk.data()));
    }
    events.addAll(stream.finish());
    return events;
  }

  private static ObjectNode chunk(String delta, String finishReason) {
    return parse("{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion.chunk\", \"created\": 1, \"model\": \"m\","
        + " \"choices\": [{\"index\": 0, \"delta\": " + delta + ", \"finish_reason\": " + finishReason + "}]}");
  }

  private static List<String> names(List<SseEvent> events) {
    return events.stream().map(SseEvent::event).toList();
  }

  @Test
  void textAndParallelToolCallsInFragmentsBecomeContentBlocks() {
    OpenAiToAnthropicStream stream = new OpenAiToAnthropicStream(MODEL);
    List<SseEvent> events = run(stream, sse("openai-stream.sse"));
    List<SseEvent> expected = sse("anthropic-events-from-openai.sse");
    assertThat(names(events)).isEqualTo(names(expected));
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).data().get("type").asText()).isEqualTo(events.get(i).event());
      assertSameJson(events.get(i).data(), expected.get(i).data());
    }
    assertThat(stream.usage()).isEqualTo(new Usage(1117, 46, 1024, 0));
    assertThat(stream.finish()).isEmpty();
    assertThat(stream.onChunk(chunk("{\"content\": \"late\"}", "null"))).isEmpty();
  }

  @Test
  void textAfterAToolCallOpensANewBlock() {
    OpenAiToAnthropicStream stream = new OpenAiToAnthropicStream(MODEL);
    List<SseEvent> events = run(stream, List.of(
        new SseEvent(null, chunk("{\"tool_calls\": [{\"index\": 0, \"id\": \"call_1\", \"type\": \"function\","
            + " \"function\": {\"name\": \"get_time\", \"arguments\": \"{}\"}}]}", "null")),
        new SseEvent(null, chunk("{\"content\": \"Done.\"}", "\"length\""))));
    assertThat(names(events)).containsExactly("message_start", "content_block_start", "content_block_delta",
        "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop");
    assertThat(events.get(4).data().get("index").asInt()).isEqualTo(1);
    assertThat(events.get(4).data().path("content_block").get("type").asText()).isEqualTo("text");
    assertThat(events.get(7).data().path("delta").get("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(stream.usage()).isNull(); // the upstream sent no usage: the gateway must count itself
  }

  @Test
  void anEmptyStreamIsStillAWellFormedMessage() {
    List<SseEvent> events = new OpenAiToAnthropicStream(MODEL).finish();
    assertThat(names(events)).containsExactly("message_start", "message_delta", "message_stop");
    assertThat(events.get(0).data().path("message").get("id").asText()).startsWith("msg_");
    assertThat(events.get(1).data().path("delta").get("stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void anErrorChunkEndsTheStreamWithAnErrorEvent() {
    OpenAiToAnthropicStream stream = new OpenAiToAnthropicStream(MODEL);
    stream.onChunk(chunk("{\"content\": \"Hel\"}", "null"));
    List<SseEvent> events = stream.onChunk(parse(
        "{\"error\": {\"message\": \"The server had an error\", \"type\": \"server_error\"}}"));
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.event()).isEqualTo("error");
      assertSameJson(event.data(), parse(
          "{\"type\": \"error\", \"error\": {\"type\": \"api_error\", \"message\": \"The server had an error\"}}"));
    });
    assertThat(stream.finish()).isEmpty();
  }

  @Test
  void writesEventsAsServerSentEvents() {
    SseEvent event = new SseEvent("message_stop", parse("{\"type\": \"message_stop\"}"));
    assertThat(event.toWire()).isEqualTo("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void survivesTheRoundTripBackToOpenAiChunks() {
    List<SseEvent> upstream = sse("openai-stream.sse");
    AnthropicToOpenAiStream back = new AnthropicToOpenAiStream(MODEL, true);
    List<ObjectNode> chunks = new ArrayList<>();
    for (SseEvent event : run(new OpenAiToAnthropicStream(MODEL), upstream)) {
      chunks.addAll(back.onEvent(event.event(), event.data()));
    }
    List<ObjectNode> original = upstream.stream().map(SseEvent::data).toList();
    assertSameJson(Fixtures.assembleOpenAi(chunks), Fixtures.assembleOpenAi(original));
    assertThat(back.usage()).isEqualTo(new Usage(1117, 46, 1024, 0));
    assertThat(chunks.get(chunks.size() - 2).path("choices").get(0).get("finish_reason").asText())
        .isEqualTo("tool_calls");
  }
}
