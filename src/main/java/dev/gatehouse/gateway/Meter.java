package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one call used, as it happens: the provider's reported usage when it comes, else counted
 * from the prompt and the streamed text, so that a cut stream is still billed for what it sent.
 */
public final class Meter {
  private final long startNanos = System.nanoTime();
  private final long estimatedPrompt;
  private long promptTokens;
  private long completionTokens;
  private long cachedTokens;
  private long cacheWriteTokens;
  private long countedCompletion;
  private boolean reported;
  private Long ttftMs;

  public Meter(long estimatedPrompt) {
    this.estimatedPrompt = estimatedPrompt;
  }

  /** Streamed text: counted in case the provider never reports usage. */
  public void streamed(String text) {
    if (text != null && !text.isEmpty()) {
      if (ttftMs == null) {
        ttftMs = elapsedMs();
      }
      countedCompletion += TokenCounter.count(text);
    }
  }

  public void firstByte() {
    if (ttftMs == null) {
      ttftMs = elapsedMs();
    }
  }

  /** Usage in OpenAI's shape: prompt_tokens include cached ones (prompt_tokens_details.cached_tokens). */
  public void reportedOpenAi(JsonNode usage) {
    if (usage == null || usage.isNull() || !usage.has("prompt_tokens")) {
      return;
    }
    reported = true;
    promptTokens = usage.path("prompt_tokens").asLong();
    completionTokens = usage.path("completion_tokens").asLong();
    cachedTokens = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
  }

  /** Usage as normalized by the translation layer (OpenAI's convention). */
  public void reported(long prompt, long completion, long cached, long cacheWrite) {
    reported = true;
    promptTokens = prompt;
    completionTokens = completion;
    cachedTokens = cached;
    cacheWriteTokens = cacheWrite;
  }

  public boolean reported() {
    return reported;
  }

  public long promptTokens() {
    return reported ? promptTokens : estimatedPrompt;
  }

  public long completionTokens() {
    return reported ? completionTokens : countedCompletion;
  }

  public long cachedTokens() {
    return cachedTokens;
  }

  public long cacheWriteTokens() {
    return cacheWriteTokens;
  }

  public Long ttftMs() {
    return ttftMs;
  }

  public long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
