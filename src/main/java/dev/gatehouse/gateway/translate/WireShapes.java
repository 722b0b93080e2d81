package dev.gatehouse.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Objects of either API that requests, responses and streams all build, spelled once. */
final class WireShapes {
  private WireShapes() {}

  /** An OpenAI tool call; {@code arguments} is JSON text, as OpenAI carries it. */
  static ObjectNode openAiToolCall(String id, String name, String arguments) {
    ObjectNode call = Json.object().put("id", id).put("type", "function");
    call.putObject("function").put("name", name).put("arguments", arguments);
    return call;
  }

  /** An Anthropic tool_use block; {@code input} is the parsed arguments object. */
  static ObjectNode anthropicToolUse(String id, String name, JsonNode input) {
    ObjectNode block = Json.object().put("type", "tool_use").put("id", id).put("name", name);
    block.set("input", input);
    return block;
  }

  /** An Anthropic message: a whole response, or with empty content and no stop_reason the one message_start carries. */
  static ObjectNode anthropicMessage(String id, String model, ArrayNode content, String stopReason, Usage usage) {
    ObjectNode message = Json.object().put("id", id).put("type", "message").put("role", "assistant")
        .put("model", model);
    message.set("content", content);
    message.put("stop_reason", stopReason).putNull("stop_sequence");
    message.set("usage", usage.toAnthropicJson());
    return message;
  }
}
