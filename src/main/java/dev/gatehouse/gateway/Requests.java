package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.models.ServingSpec;

/** Applies a version's serving spec to a client's chat request before it goes upstream. */
final class Requests {
  private Requests() {}

  /**
   * A copy of {@code body} for the version: its upstream model, max_tokens clamped to the cap (or
   * the default when none was asked), default temperature and top_p, the system prompt first; and,
   * for OpenAI-format streams, usage asked for so that every stream can be billed.
   */
  static ObjectNode prepareChat(ObjectNode body, ServingSpec spec, boolean askUsage) {
    ObjectNode request = body.deepCopy();
    request.put("model", spec.upstreamModel());
    clampMaxTokens(request, spec);
    if (spec.temperature() != null && !request.has("temperature")) {
      request.put("temperature", spec.temperature());
    }
    if (spec.topP() != null && !request.has("top_p")) {
      request.put("top_p", spec.topP());
    }
    if (spec.systemPrompt() != null) {
      ArrayNode messages = request.putArray("messages");
      messages.addObject().put("role", "system").put("content", spec.systemPrompt());
      body.path("messages").forEach(messages::add);
    }
    if (askUsage) {
      request.with("stream_options").put("include_usage", true);
    }
    return request;
  }

  /** The largest completion the request may produce: what budgets reserve for. */
  static long maxCompletionTokens(JsonNode request, ServingSpec spec, long fallback) {
    JsonNode asked = request.has("max_completion_tokens") ? request.get("max_completion_tokens")
        : request.get("max_tokens");
    if (asked != null && asked.canConvertToLong()) {
      return asked.asLong();
    }
    if (spec.maxTokensCap() != null) {
      return spec.maxTokensCap();
    }
    return fallback;
  }

  private static void clampMaxTokens(ObjectNode request, ServingSpec spec) {
    for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
      JsonNode asked = request.get(field);
      if (asked != null && !asked.isNull() && !asked.canConvertToLong()) {
        throw GatewayException.invalid("'" + field + "' must be a whole number.", field);
      }
      if (asked != null && asked.canConvertToLong() && asked.asLong() < 1) {
        throw GatewayException.invalid("'" + field + "' must be at least 1.", field);
      }
      if (asked != null && spec.maxTokensCap() != null && asked.asLong() > spec.maxTokensCap()) {
        request.put(field, spec.maxTokensCap());
      }
    }
    if (!request.has("max_tokens") && !request.has("max_completion_tokens") && spec.defaultMaxTokens() != null) {
      request.put("max_tokens", spec.defaultMaxTokens());
    }
  }
}
