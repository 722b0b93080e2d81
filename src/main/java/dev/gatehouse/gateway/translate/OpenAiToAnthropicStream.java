package dev.gatehouse.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns OpenAI chat.completion.chunk objects into the Anthropic Messages event stream a /v1/messages client expects,
 * one chunk at a time so nothing is buffered: {@code message_start} first, then per content block
 * {@code content_block_start}, its deltas ({@code text_delta}, {@code input_json_delta}) and
 * {@code content_block_stop}, and on {@link #finish()} (the upstream's {@code [DONE]} or end of stream)
 * {@code message_delta} with stop_reason and usage, then {@code message_stop}.
 *
 * <p>OpenAI sends finish_reason before the usage chunk, so both are held until {@link #finish()}.
 */
public final class OpenAiToAnthropicStream {
  private final String model;
  /** Anthropic numbers content blocks; OpenAI numbers tool calls on their own. */
  private final Map<Integer, Integer> blockByToolIndex = new HashMap<>();
  private int nextBlock;
  private int openBlock = -1;
  private boolean openIsText;
  private boolean started;
  private boolean finished;
  private String finishReason;
  private Usage usage;

  /** {@code model} is the name the client asked for. */
  public OpenAiToAnthropicStream(String model) {
    this.model = model;
  }

  /** The events that one upstream chunk becomes, possibly none. */
  public List<SseEvent> onChunk(ObjectNode chunk) {
    if (finished) {
      return List.of();
    }
    List<SseEvent> events = new ArrayList<>();
    JsonNode error = chunk.get("error");
    if (error != null && error.isObject()) {
      // Anthropic ends a stream that failed with an error event and nothing after it.
      finished = true;
      ObjectNode data = Json.object().put("type", "error");
      data.putObject("error").put("type", "api_error").put("message", error.path("message").asText());
      events.add(new SseEvent("error", data));
      return events;
    }
    Usage reported = UsageReader.fromOpenAiChunk(chunk);
    if (reported != null) {
      usage = reported;
    }
    if (!started) {
      events.add(messageStart(chunk.path("id").asText()));
    }
    JsonNode choice = chunk.path("choices").path(0);
    String text = choice.path("delta").path("content").asText("");
    if (!text.isEmpty()) {
      if (openBlock < 0 || !openIsText) {
        startBlock(events, Json.textPart(""), true);
      }
      events.add(blockDelta(openBlock, Json.object().put("type", "text_delta").put("text", text)));
    }
    for (JsonNode call : choice.path("delta").path("tool_calls")) {
      onToolCallFragment(call, events);
    }
    if (!Json.absent(choice.get("finish_reason"))) {
      finishReason = choice.get("finish_reason").asText();
    }
    return events;
  }

  /** Closes what is open and ends the message; call once the upstream stream is done. Later calls return nothing. */
  public List<SseEvent> finish() {
    if (finished) {
      return List.of();
    }
    finished = true;
    List<SseEvent> events = new ArrayList<>();
    if (!started) {
      // An upstream that streamed nothing still makes a well-formed, empty message for the client.
      events.add(messageStart("msg_" + UUID.randomUUID().toString().replace("-", "")));
    }
    closeOpenBlock(events);
    ObjectNode delta = Json.object().put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", StopReasons.toAnthropic(finishReason)).putNull("stop_sequence");
    delta.set("usage", (usage == null ? Usage.NONE : usage).toAnthropicJson());
    events.add(new SseEvent("message_delta", delta));
    events.add(new SseEvent("message_stop", Json.object().put("type", "message_stop")));
    return events;
  }

  /** Usage from the chunk that carried it (normalized, see {@link Usage}); null when none has so far. */
  public Usage usage() {
    return usage;
  }

  private SseEvent messageStart(String id) {
    started = true;
    ObjectNode data = Json.object().put("type", "message_start");
    data.set("message", WireShapes.anthropicMessage(id, model, Json.array(), null, usage == null ? Usage.NONE : usage));
    return new SseEvent("message_start", data);
  }

  private void onToolCallFragment(JsonNode call, List<SseEvent> events) {
    int toolIndex = call.path("index").asInt();
    Integer block = blockByToolIndex.get(toolIndex);
    if (block == null) {
      JsonNode function = call.path("function");
      startBlock(events, WireShapes.anthropicToolUse(call.path("id").asText(), function.path("name").asText(),
          Json.object()), false);
      block = openBlock;
      blockByToolIndex.put(toolIndex, block);
    }
    // A fragment for a call whose block was already closed (servers that interleave parallel calls) still goes to
    // that block's index: clients assemble input by index, and dropping it would corrupt the arguments.
    String arguments = call.path("function").path("arguments").asText("");
    if (!arguments.isEmpty()) {
      events.add(blockDelta(block, Json.object().put("type", "input_json_delta").put("partial_json", arguments)));
    }
  }

  private void startBlock(List<SseEvent> events, ObjectNode contentBlock, boolean text) {
    closeOpenBlock(events);
    openBlock = nextBlock++;
    openIsText = text;
    ObjectNode data = Json.object().put("type", "content_block_start").put("index", openBlock);
    data.set("content_block", contentBlock);
    events.add(new SseEvent("content_block_start", data));
  }

  private void closeOpenBlock(List<SseEvent> events) {
    if (openBlock >= 0) {
      events.add(new SseEvent("content_block_stop",
          Json.object().put("type", "content_block_stop").put("index", openBlock)));
      openBlock = -1;
    }
  }

  private static SseEvent blockDelta(int block, ObjectNode delta) {
    ObjectNode data = Json.object().put("type", "content_block_delta").put("index", block);
    data.set("delta", delta);
    return new SseEvent("content_block_delta", data);
  }
}
