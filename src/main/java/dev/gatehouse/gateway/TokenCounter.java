package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens where the provider reports none (streams cut short, providers without usage,
 * estimates before a call). o200k_base, the encoding of current OpenAI models; for other models
 * it is an estimate, and records say so.
 */
public final class TokenCounter {
  /** Per-message framing tokens, as OpenAI's chat format adds them. */
  static final int PER_MESSAGE = 4;
  private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private TokenCounter() {}

  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : ENCODING.countTokens(text);
  }

  /** The prompt of an OpenAI chat request (or Anthropic messages plus system): text parts only. */
  public static long prompt(JsonNode request) {
    long total = 0;
    JsonNode system = request.get("system");
    if (system != null) {
      total += countText(system) + PER_MESSAGE;
    }
    for (JsonNode message : request.path("messages")) {
      total += PER_MESSAGE + countText(message.get("content"));
    }
    JsonNode input = request.get("input");
    if (input != null) {
      total += countText(input);
    }
    return total;
  }

  private static long countText(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return count(content.asText());
    }
    long total = 0;
    for (JsonNode part : content) {
      total += part.isTextual() ? count(part.asText()) : count(part.path("text").asText(""));
    }
    return total;
  }
}
