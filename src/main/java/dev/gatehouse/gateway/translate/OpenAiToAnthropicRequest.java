package dev.gatehouse.gateway.translate;

import static dev.gatehouse.gateway.translate.Json.absent;
import static dev.gatehouse.gateway.translate.Json.elements;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An OpenAI chat.completions request as an Anthropic Messages request. */
final class OpenAiToAnthropicRequest {
  /** Anthropic requires max_tokens where OpenAI lets the model run to its limit; this stands in for "no limit". */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private static final Pattern DATA_URL = Pattern.compile("data:([^;,]+);base64,(.+)", Pattern.DOTALL);

  /** A parameter Anthropic has no equivalent for, refused when {@code refused} holds for its (non-null) value. */
  private record Refusal(String param, Predicate<JsonNode> refused, String reason) {}

  // Parameters that change the answer and have no Anthropic equivalent. Those that do not change it (seed, store,
  // metadata, parallel_tool_calls, stream_options, service_tier, prediction) are left out and thus ignored.
  private static final List<Refusal> REFUSALS = List.of(
      new Refusal("n", v -> v.asInt(1) != 1, "Anthropic returns a single choice, so n must be 1"),
      new Refusal("logprobs", JsonNode::asBoolean, "Anthropic does not return log probabilities"),
      new Refusal("top_logprobs", v -> true, "Anthropic does not return log probabilities"),
      new Refusal("response_format", v -> !"text".equals(v.path("type").asText()),
          "Anthropic has no JSON mode or structured output; ask for JSON in the prompt instead"),
      new Refusal("logit_bias", v -> v.size() > 0, "Anthropic has no logit bias"),
      new Refusal("audio", v -> true, "Anthropic models do not produce audio"),
      new Refusal("modalities", v -> !v.isArray() || elements(v, "modalities").stream()
          .anyMatch(m -> !"text".equals(m.asText())), "Anthropic models produce only text"),
      new Refusal("presence_penalty", v -> v.asDouble() != 0, "Anthropic has no presence penalty"),
      new Refusal("frequency_penalty", v -> v.asDouble() != 0, "Anthropic has no frequency penalty"),
      new Refusal("functions", v -> true, "the deprecated functions API is not translated; use tools"),
      new Refusal("function_call", v -> true, "the deprecated functions API is not translated; use tool_choice"),
      new Refusal("reasoning_effort", v -> true, "OpenAI reasoning effort has no Anthropic equivalent"),
      new Refusal("web_search_options", v -> true, "OpenAI web search has no Anthropic equivalent"));

  private OpenAiToAnthropicRequest() {}

  static ObjectNode translate(ObjectNode request, String upstreamModel) {
    for (Refusal refusal : REFUSALS) {
      JsonNode value = request.get(refusal.param());
      if (!absent(value) && refusal.refused().test(value)) {
        throw new TranslationException(refusal.param(), refusal.reason());
      }
    }
    ObjectNode out = Json.object().put("model", upstreamModel).put("max_tokens", maxTokens(request));
    List<ObjectNode> system = new ArrayList<>();
    ArrayNode messages = messages(request.get("messages"), system);
    if (!system.isEmpty()) {
      out.set("system", Json.stringOrParts(system));
    }
    out.set("messages", messages);
    copySampling(request, out);
    JsonNode tools = request.get("tools");
    if (!absent(tools) && !tools.isEmpty()) {
      out.set("tools", tools(tools));
    }
    ObjectNode toolChoice = toolChoice(request);
    if (toolChoice != null) {
      out.set("tool_choice", toolChoice);
    }
    // safety_identifier is the newer name OpenAI gives the end-user id.
    JsonNode user = absent(request.get("user")) ? request.get("safety_identifier") : request.get("user");
    if (!absent(user)) {
      out.putObject("metadata").put("user_id", user.asText());
    }
    return out;
  }

  private static long maxTokens(ObjectNode request) {
    // max_completion_tokens replaced max_tokens in OpenAI's API; newer clients send only the former.
    String param = absent(request.get("max_completion_tokens")) ? "max_tokens" : "max_completion_tokens";
    JsonNode value = request.get(param);
    if (absent(value)) {
      return DEFAULT_MAX_TOKENS;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
      throw new TranslationException(param, "expected a positive integer");
    }
    return value.asLong();
  }

  private static void copySampling(ObjectNode request, ObjectNode out) {
    JsonNode stop = request.get("stop");
    if (!absent(stop)) {
      ArrayNode sequences = out.putArray("stop_sequences");
      if (stop.isTextual()) {
        sequences.add(stop);
      } else {
        sequences.addAll(elements(stop, "stop"));
      }
    }
    JsonNode temperature = request.get("temperature");
    if (!absent(temperature)) {
      // OpenAI's range is 0..2, Anthropic's 0..1: above 1 the nearest Anthropic can do is 1.
      out.set("temperature", temperature.asDouble() > 1 ? out.numberNode(1.0) : temperature);
    }
    for (String param : List.of("top_p", "stream")) {
      if (!absent(request.get(param))) {
        out.set(param, request.get(param));
      }
    }
  }

  private static ArrayNode messages(JsonNode given, List<ObjectNode> system) {
    List<JsonNode> messages = elements(given, "messages");
    if (messages.isEmpty()) {
      throw new TranslationException("messages", "at least one message is required");
    }
    ArrayNode out = Json.array();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String param = "messages[" + i + "]";
      String role = message.path("role").asText();
      switch (role) {
        case "system", "developer" -> system.addAll(Json.textParts(message.get("content"), param + ".content"));
        case "user" -> append(out, "user", userBlocks(message.get("content"), param + ".content"));
        case "assistant" -> append(out, "assistant", assistantBlocks(message, param));
        case "tool" -> append(out, "user", List.of(toolResult(message, param)));
        default -> throw new TranslationException(param + ".role", "unknown role '" + role + "'");
      }
    }
    if (out.isEmpty()) {
      throw new TranslationException("messages", "Anthropic needs at least one user or assistant message");
    }
    return out;
  }

  /** Appends a message, merging it into the previous one of the same role since Anthropic requires alternation. */
  private static void append(ArrayNode out, String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return; // Anthropic refuses messages without content; an empty OpenAI message says nothing anyway.
    }
    JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
    if (last == null || !role.equals(last.get("role").asText())) {
      out.addObject().put("role", role).putArray("content").addAll(blocks);
      return;
    }
    ArrayNode content = (ArrayNode) last.get("content");
    List<JsonNode> merged = new ArrayList<>();
    content.forEach(merged::add);
    merged.addAll(blocks);
    // Anthropic wants a user message's tool_result blocks before anything else in it.
    merged.sort((a, b) -> Boolean.compare(!isToolResult(a), !isToolResult(b)));
    content.removeAll().addAll(merged);
  }

  private static boolean isToolResult(JsonNode block) {
    return "tool_result".equals(block.path("type").asText());
  }

  private static List<ObjectNode> userBlocks(JsonNode content, String param) {
    List<ObjectNode> blocks = new ArrayList<>();
    List<JsonNode> parts = Json.parts(content, param);
    for (int i = 0; i < parts.size(); i++) {
      JsonNode part = parts.get(i);
      String type = part.path("type").asText();
      switch (type) {
        case "text" -> Json.addText(blocks, part.path("text").asText());
        case "image_url" -> blocks.add(image(part.path("image_url").path("url").asText(),
            param + "[" + i + "].image_url.url"));
        default -> throw new TranslationException(param + "[" + i + "].type",
            "content part '" + type + "' cannot be sent to Anthropic; only text and image_url can");
      }
    }
    return blocks;
  }

  private static ObjectNode image(String url, String param) {
    ObjectNode image = Json.object().put("type", "image");
    Matcher data = DATA_URL.matcher(url);
    if (data.matches()) {
      image.putObject("source").put("type", "base64").put("media_type", data.group(1)).put("data", data.group(2));
    } else if (url.startsWith("https://") || url.startsWith("http://")) {
      image.putObject("source").put("type", "url").put("url", url);
    } else {
      throw new TranslationException(param, "expected a base64 data: URL or an http(s) URL");
    }
    return image;
  }

  private static List<ObjectNode> assistantBlocks(JsonNode message, String param) {
    List<ObjectNode> blocks = new ArrayList<>(Json.textParts(message.get("content"), param + ".content"));
    List<JsonNode> calls = elements(message.get("tool_calls"), param + ".tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      String callParam = param + ".tool_calls[" + i + "]";
      if (!"function".equals(call.path("type").asText("function"))) {
        throw new TranslationException(callParam + ".type", "only function tool calls can be translated");
      }
      JsonNode function = call.path("function");
      blocks.add(WireShapes.anthropicToolUse(call.path("id").asText(), function.path("name").asText(),
          Json.parseObject(function.path("arguments").asText(""), callParam + ".function.arguments")));
    }
    return blocks;
  }

  private static ObjectNode toolResult(JsonNode message, String param) {
    JsonNode id = message.get("tool_call_id");
    if (absent(id)) {
      throw new TranslationException(param + ".tool_call_id", "a tool message needs the id of the call it answers");
    }
    ObjectNode result = Json.object().put("type", "tool_result").put("tool_use_id", id.asText());
    List<ObjectNode> parts = Json.textParts(message.get("content"), param + ".content");
    if (!parts.isEmpty()) {
      result.set("content", Json.stringOrParts(parts));
    }
    return result;
  }

  private static ArrayNode tools(JsonNode given) {
    ArrayNode out = Json.array();
    List<JsonNode> tools = elements(given, "tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      if (!"function".equals(tool.path("type").asText())) {
        throw new TranslationException("tools[" + i + "].type", "only function tools can be translated");
      }
      JsonNode function = tool.path("function");
      ObjectNode translated = out.addObject().put("name", function.path("name").asText());
      if (!absent(function.get("description"))) {
        translated.set("description", function.get("description"));
      }
      // Anthropic requires a schema where OpenAI lets a function without parameters omit it.
      JsonNode parameters = function.get("parameters");
      if (absent(parameters)) {
        ObjectNode empty = translated.putObject("input_schema").put("type", "object");
        empty.putObject("properties");
      } else {
        translated.set("input_schema", parameters);
      }
    }
    return out;
  }

  private static ObjectNode toolChoice(ObjectNode request) {
    JsonNode choice = request.get("tool_choice");
    ObjectNode out = null;
    if (!absent(choice)) {
      out = Json.object();
      if (choice.isTextual()) {
        out.put("type", switch (choice.asText()) {
          case "auto" -> "auto";
          case "none" -> "none";
          case "required" -> "any";
          default -> throw new TranslationException("tool_choice", "unknown value '" + choice.asText() + "'");
        });
      } else if ("function".equals(choice.path("type").asText())) {
        out.put("type", "tool").put("name", choice.path("function").path("name").asText());
      } else {
        throw new TranslationException("tool_choice", "expected auto, none, required or a function");
      }
    }
    // parallel_tool_calls=false does change the answer, and Anthropic can say it on tool_choice.
    JsonNode parallel = request.get("parallel_tool_calls");
    boolean hasTools = !absent(request.get("tools")) && !request.get("tools").isEmpty();
    if (hasTools && parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
      out = out == null ? Json.object().put("type", "auto") : out;
      if (!"none".equals(out.get("type").asText())) {
        out.put("disable_parallel_tool_use", true);
      }
    }
    return out;
  }
}
