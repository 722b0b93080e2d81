package dev.gatehouse.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the usage of either provider's answer into a {@link Usage} (OpenAI's convention, see there). Each method
 * returns null when the answer carries no usage, so the caller can tell "none reported" (and count tokens itself)
 * from "zero tokens".
 */
public final class UsageReader {
  private UsageReader() {}

  /** Usage of an OpenAI chat completion. */
  public static Usage fromOpenAi(ObjectNode response) {
    JsonNode usage = response.path("usage");
    if (!usage.isObject()) {
      return null;
    }
    return new Usage(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(),
        usage.path("prompt_tokens_details").path("cached_tokens").asLong(), 0);
  }

  /** Usage of an OpenAI chunk: only the last one carries it, and only when {@code include_usage} was asked. */
  public static Usage fromOpenAiChunk(ObjectNode chunk) {
    return fromOpenAi(chunk);
  }

  /** Usage of an Anthropic message (a response, or the {@code message} of {@code message_start}). */
  public static Usage fromAnthropic(ObjectNode message) {
    return fromAnthropicUsage(message.path("usage"));
  }

  /** Usage from an Anthropic {@code usage} object, whose input_tokens leave out both cache parts. */
  static Usage fromAnthropicUsage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long cacheRead = usage.path("cache_read_input_tokens").asLong();
    long cacheWrite = usage.path("cache_creation_input_tokens").asLong();
    long prompt = usage.path("input_tokens").asLong() + cacheRead + cacheWrite;
    return new Usage(prompt, usage.path("output_tokens").asLong(), cacheRead, cacheWrite);
  }
}
