package dev.gatehouse.gateway.translate;

import static dev.gatehouse.gateway.translate.Json.absent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Non-streamed responses, both ways. */
final class ResponseTranslation {
  private ResponseTranslation() {}

  static ObjectNode toOpenAi(ObjectNode anthropic, String model) {
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = Json.array();
    for (JsonNode block : anthropic.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" -> toolCalls.add(WireShapes.openAiToolCall(block.path("id").asText(),
            block.path("name").asText(), block.path("input").toString()));
        default -> { } // thinking and server-tool blocks have no place in an OpenAI message
      }
    }
    ObjectNode message = Json.object().put("role", "assistant").put("content", text.isEmpty() ? null : text.toString());
    message.putNull("refusal");
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    ObjectNode out = Json.object().put("id", anthropic.path("id").asText()).put("object", "chat.completion")
        .put("created", Instant.now().getEpochSecond()).put("model", model);
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", StopReasons.toOpenAi(anthropic.path("stop_reason").asText("end_turn")));
    Usage usage = UsageReader.fromAnthropic(anthropic);
    if (usage != null) {
      out.set("usage", usage.toOpenAiJson());
    }
    return out;
  }

  static ObjectNode toAnthropic(ObjectNode openAi, String model) {
    JsonNode choice = openAi.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw new UpstreamResponseException("The upstream chat completion has no choices.");
    }
    JsonNode message = choice.path("message");
    ArrayNode content = Json.array();
    JsonNode text = message.get("content");
    // A refusal comes instead of content; it is what the model said, so the client sees it as text.
    JsonNode said = absent(text) ? message.get("refusal") : text;
    if (!absent(said) && !said.asText().isEmpty()) {
      content.add(Json.textPart(said.asText()));
    }
    for (JsonNode call : message.path("tool_calls")) {
      content.add(WireShapes.anthropicToolUse(call.path("id").asText(), call.path("function").path("name").asText(),
          upstreamArguments(call.path("function").path("arguments").asText(""))));
    }
    String stopReason = absent(text) && !absent(message.get("refusal"))
        ? "refusal" : StopReasons.toAnthropic(choice.path("finish_reason").asText(null));
    Usage usage = UsageReader.fromOpenAi(openAi);
    return WireShapes.anthropicMessage(openAi.path("id").asText(), model, content, stopReason,
        usage == null ? Usage.NONE : usage);
  }

  private static ObjectNode upstreamArguments(String arguments) {
    try {
      return Json.parseObject(arguments, "arguments");
    } catch (TranslationException e) {
      // The model wrote arguments that are not a JSON object; an Anthropic client cannot take them as input.
      throw new UpstreamResponseException("The upstream model returned tool arguments that are not a JSON object.");
    }
  }
}
