package dev.gatehouse.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an Anthropic Messages event stream into OpenAI chat.completion.chunk objects, one event at a time so that
 * nothing is buffered: each call returns the chunks to write now (as {@code data:} payloads), possibly none.
 *
 * <p>Order of what comes out: a chunk with {@code delta.role}, then text as {@code delta.content} and tool calls as
 * {@code delta.tool_calls} (id and name first, then argument fragments), a chunk with {@code finish_reason} on
 * {@code message_delta}, and on {@code message_stop} a chunk with empty choices and the usage, if asked for. An
 * {@code error} event becomes {@code {"error": {...}}}, the way OpenAI reports an error mid-stream.
 */
public final class AnthropicToOpenAiStream {
  private final String model;
  private final boolean includeUsage;
  private final long created = Instant.now().getEpochSecond();
  /** Anthropic's usage fields as last reported: message_start gives input and cache, message_delta the output. */
  private final ObjectNode anthropicUsage = Json.object();
  /** OpenAI numbers tool calls 0, 1, ... while Anthropic numbers every content block, text included. */
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private String id = "";

  /** {@code model} is the name the client asked for; {@code includeUsage} its stream_options.include_usage. */
  public AnthropicToOpenAiStream(String model, boolean includeUsage) {
    this.model = model;
    this.includeUsage = includeUsage;
  }

  /** The chunks that one event becomes; {@code eventType} may be null, then the event's own {@code type} is used. */
  public List<ObjectNode> onEvent(String eventType, ObjectNode data) {
    String type = eventType == null ? data.path("type").asText() : eventType;
    return switch (type) {
      case "message_start" -> messageStart(data.path("message"));
      case "content_block_start" -> blockStart(data.path("index").asInt(), data.path("content_block"));
      case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"));
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> includeUsage ? List.of(usageChunk()) : List.of();
      case "error" -> List.of(error(data.path("error")));
      // ping, content_block_stop, and event types Anthropic may add later say nothing an OpenAI client sees.
      default -> List.of();
    };
  }

  /** Usage seen so far, normalized (see {@link Usage}); null before any event carried usage. */
  public Usage usage() {
    return UsageReader.fromAnthropicUsage(anthropicUsage.isEmpty() ? null : anthropicUsage);
  }

  private List<ObjectNode> messageStart(JsonNode message) {
    id = message.path("id").asText();
    mergeUsage(message.path("usage"));
    ObjectNode delta = Json.object().put("role", "assistant").put("content", "");
    return List.of(chunk(delta, null));
  }

  private List<ObjectNode> blockStart(int block, JsonNode contentBlock) {
    switch (contentBlock.path("type").asText()) {
      case "text" -> {
        return textChunk(contentBlock.path("text").asText());
      }
      case "tool_use" -> {
        int toolIndex = toolIndexByBlock.size();
        toolIndexByBlock.put(block, toolIndex);
        ObjectNode call = WireShapes.openAiToolCall(contentBlock.path("id").asText(),
            contentBlock.path("name").asText(), "").put("index", toolIndex);
        return List.of(toolCallChunk(call));
      }
      default -> {
        return List.of(); // thinking blocks: OpenAI chat completions has no place for them
      }
    }
  }

  private List<ObjectNode> blockDelta(int block, JsonNode delta) {
    switch (delta.path("type").asText()) {
      case "text_delta" -> {
        return textChunk(delta.path("text").asText());
      }
      case "input_json_delta" -> {
        Integer toolIndex = toolIndexByBlock.get(block);
        String fragment = delta.path("partial_json").asText();
        if (toolIndex == null || fragment.isEmpty()) {
          return List.of();
        }
        ObjectNode call = Json.object().put("index", toolIndex);
        call.putObject("function").put("arguments", fragment);
        return List.of(toolCallChunk(call));
      }
      default -> {
        return List.of(); // thinking_delta, signature_delta
      }
    }
  }

  private List<ObjectNode> messageDelta(ObjectNode data) {
    mergeUsage(data.path("usage"));
    String finishReason = StopReasons.toOpenAi(data.path("delta").path("stop_reason").asText("end_turn"));
    return List.of(chunk(Json.object(), finishReason));
  }

  private void mergeUsage(JsonNode usage) {
    // Only counts: message_delta repeats some fields and newer APIs add objects (server_tool_use) and nulls.
    for (Map.Entry<String, JsonNode> field : usage.properties()) {
      if (field.getValue().isNumber()) {
        anthropicUsage.set(field.getKey(), field.getValue());
      }
    }
  }

  private List<ObjectNode> textChunk(String text) {
    return text.isEmpty() ? List.of() : List.of(chunk(Json.object().put("content", text), null));
  }

  private ObjectNode toolCallChunk(ObjectNode call) {
    ObjectNode delta = Json.object();
    delta.putArray("tool_calls").add(call);
    return chunk(delta, null);
  }

  private ObjectNode header() {
    return Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model);
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = header();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    if (includeUsage) {
      chunk.putNull("usage"); // OpenAI marks every chunk but the last this way when usage was asked for
    }
    return chunk;
  }

  private ObjectNode usageChunk() {
    ObjectNode chunk = header();
    chunk.putArray("choices");
    Usage usage = usage();
    chunk.set("usage", (usage == null ? Usage.NONE : usage).toOpenAiJson());
    return chunk;
  }

  private static ObjectNode error(JsonNode error) {
    ObjectNode out = Json.object();
    out.putObject("error").put("message", error.path("message").asText())
        .put("type", error.path("type").asText("api_error")).putNull("param").putNull("code");
    return out;
  }
}
