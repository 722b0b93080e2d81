package dev.gatehouse.gateway.translate;

import static dev.gatehouse.gateway.translate.Json.absent;
import static dev.gatehouse.gateway.translate.Json.elements;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** An Anthropic Messages request, as a /v1/messages client sends it, as an OpenAI chat.completions request. */
final class AnthropicToOpenAiRequest {
  private AnthropicToOpenAiRequest() {}

  static ObjectNode translate(ObjectNode request, String upstreamModel) {
    if (!absent(request.get("top_k"))) {
      throw new TranslationException("top_k", "OpenAI has no top-k sampling");
    }
    JsonNode thinking = request.get("thinking");
    if (!absent(thinking) && !"disabled".equals(thinking.path("type").asText())) {
      throw new TranslationException("thinking", "extended thinking has no OpenAI chat completions equivalent");
    }
    ObjectNode out = Json.object().put("model", upstreamModel);
    ArrayNode messages = out.putArray("messages");
    List<ObjectNode> system = Json.textParts(request.get("system"), "system");
    if (!system.isEmpty()) {
      messages.addObject().put("role", "system").set("content", Json.stringOrParts(system));
    }
    List<JsonNode> given = elements(request.get("messages"), "messages");
    if (given.isEmpty()) {
      throw new TranslationException("messages", "at least one message is required");
    }
    for (int i = 0; i < given.size(); i++) {
      JsonNode message = given.get(i);
      String param = "messages[" + i + "]";
      String role = message.path("role").asText();
      switch (role) {
        case "user" -> addUser(messages, message.get("content"), param + ".content");
        case "assistant" -> addAssistant(messages, message.get("content"), param + ".content");
        default -> throw new TranslationException(param + ".role", "expected user or assistant, not '" + role + "'");
      }
    }
    copySampling(request, out);
    JsonNode tools = request.get("tools");
    if (!absent(tools) && !tools.isEmpty()) {
      out.set("tools", tools(tools));
    }
    copyToolChoice(request.get("tool_choice"), out);
    JsonNode userId = request.path("metadata").get("user_id");
    if (!absent(userId)) {
      out.put("user", userId.asText());
    }
    return out;
  }

  private static void copySampling(ObjectNode request, ObjectNode out) {
    for (String param : List.of("max_tokens", "temperature", "top_p")) {
      if (!absent(request.get(param))) {
        out.set(param, request.get(param));
      }
    }
    List<JsonNode> stop = elements(request.get("stop_sequences"), "stop_sequences");
    if (!stop.isEmpty()) {
      out.putArray("stop").addAll(stop);
    }
    JsonNode stream = request.get("stream");
    if (!absent(stream)) {
      out.set("stream", stream);
      if (stream.asBoolean()) {
        // Without it OpenAI streams carry no usage at all, and the gateway must record usage.
        out.putObject("stream_options").put("include_usage", true);
      }
    }
  }

  /**
   * A user message's tool_result blocks become tool messages, which OpenAI wants right after the assistant
   * message that called the tools; the rest of the message follows them as one user message.
   */
  private static void addUser(ArrayNode messages, JsonNode content, String param) {
    List<ObjectNode> parts = new ArrayList<>();
    List<JsonNode> blocks = Json.parts(content, param);
    for (int i = 0; i < blocks.size(); i++) {
      JsonNode block = blocks.get(i);
      String blockParam = param + "[" + i + "]";
      String type = block.path("type").asText();
      switch (type) {
        case "text" -> Json.addText(parts, block.path("text").asText());
        case "image" -> parts.add(imageUrl(block.path("source"), blockParam + ".source"));
        case "tool_result" -> messages.add(toolMessage(block, blockParam));
        default -> throw new TranslationException(blockParam + ".type",
            "content block '" + type + "' cannot be sent to an OpenAI model; only text, image and tool_result can");
      }
    }
    if (!parts.isEmpty()) {
      messages.addObject().put("role", "user").set("content", Json.stringOrParts(parts));
    }
  }

  private static ObjectNode imageUrl(JsonNode source, String param) {
    String url = switch (source.path("type").asText()) {
      case "base64" -> "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText();
      case "url" -> source.path("url").asText();
      default -> throw new TranslationException(param + ".type", "expected an image given as base64 or url");
    };
    ObjectNode part = Json.object().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  private static ObjectNode toolMessage(JsonNode block, String param) {
    // OpenAI has no is_error flag; the result's text is what tells the model the call failed.
    ObjectNode message = Json.object().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asText());
    List<ObjectNode> parts = Json.textParts(block.get("content"), param + ".content");
    message.set("content", parts.isEmpty() ? message.textNode("") : Json.stringOrParts(parts));
    return message;
  }

  private static void addAssistant(ArrayNode messages, JsonNode content, String param) {
    List<ObjectNode> text = new ArrayList<>();
    ArrayNode toolCalls = Json.array();
    List<JsonNode> blocks = Json.parts(content, param);
    for (int i = 0; i < blocks.size(); i++) {
      JsonNode block = blocks.get(i);
      String type = block.path("type").asText();
      switch (type) {
        case "text" -> Json.addText(text, block.path("text").asText());
        case "tool_use" -> toolCalls.add(WireShapes.openAiToolCall(block.path("id").asText(),
            block.path("name").asText(), block.path("input").toString()));
        // OpenAI cannot take reasoning back as input; the visible answer carries the turn.
        case "thinking", "redacted_thinking" -> { }
        default -> throw new TranslationException(param + "[" + i + "].type",
            "content block '" + type + "' cannot be sent to an OpenAI model");
      }
    }
    if (text.isEmpty() && toolCalls.isEmpty()) {
      return; // OpenAI refuses an assistant message with neither content nor tool calls.
    }
    ObjectNode message = messages.addObject().put("role", "assistant");
    message.set("content", text.isEmpty() ? message.nullNode() : Json.stringOrParts(text));
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
  }

  private static ArrayNode tools(JsonNode given) {
    ArrayNode out = Json.array();
    List<JsonNode> tools = elements(given, "tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("custom");
      if (!"custom".equals(type)) {
        throw new TranslationException("tools[" + i + "].type",
            "Anthropic server tool '" + type + "' cannot run on an OpenAI model");
      }
      ObjectNode function = out.addObject().put("type", "function").putObject("function")
          .put("name", tool.path("name").asText());
      if (!absent(tool.get("description"))) {
        function.set("description", tool.get("description"));
      }
      if (!absent(tool.get("input_schema"))) {
        function.set("parameters", tool.get("input_schema"));
      }
    }
    return out;
  }

  private static void copyToolChoice(JsonNode choice, ObjectNode out) {
    if (absent(choice)) {
      return;
    }
    String type = choice.path("type").asText();
    switch (type) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> out.putObject("tool_choice").put("type", "function").putObject("function")
          .put("name", choice.path("name").asText());
      default -> throw new TranslationException("tool_choice.type", "expected auto, any, none or tool");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean()) {
      out.put("parallel_tool_calls", false);
    }
  }
}
