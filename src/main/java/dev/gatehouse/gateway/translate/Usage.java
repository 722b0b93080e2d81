package dev.gatehouse.gateway.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token counts of one inference, always in OpenAI's convention whatever the provider, so that usage records and
 * prices compare across providers.
 *
 * <ul>
 *   <li>{@code promptTokens}: every input token, including those read from and written to the prompt cache. OpenAI's
 *       {@code prompt_tokens} already counts them; Anthropic's {@code input_tokens} does not, so for Anthropic this is
 *       {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}.
 *   <li>{@code completionTokens}: output tokens ({@code completion_tokens} / {@code output_tokens}).
 *   <li>{@code cachedTokens}: the part of {@code promptTokens} read from the cache
 *       ({@code prompt_tokens_details.cached_tokens} / {@code cache_read_input_tokens}).
 *   <li>{@code cacheWriteTokens}: the part of {@code promptTokens} written to the cache (Anthropic's
 *       {@code cache_creation_input_tokens}, billed at a premium; OpenAI reports none).
 * </ul>
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens) {
  public static final Usage NONE = new Usage(0, 0, 0, 0);

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /** Anthropic's {@code input_tokens}: prompt tokens that neither hit nor filled the cache. */
  public long uncachedPromptTokens() {
    // An upstream that reports more cached than prompt tokens would otherwise make this negative.
    return Math.max(0, promptTokens - cachedTokens - cacheWriteTokens);
  }

  /** The {@code usage} object of an OpenAI chat completion or final chunk. */
  public ObjectNode toOpenAiJson() {
    ObjectNode usage = Json.object()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", totalTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
    return usage;
  }

  /** The {@code usage} object of an Anthropic message or {@code message_delta} event. */
  public ObjectNode toAnthropicJson() {
    return Json.object()
        .put("input_tokens", uncachedPromptTokens())
        .put("cache_creation_input_tokens", cacheWriteTokens)
        .put("cache_read_input_tokens", cachedTokens)
        .put("output_tokens", completionTokens);
  }
}
