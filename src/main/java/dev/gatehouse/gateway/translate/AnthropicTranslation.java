package dev.gatehouse.gateway.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Translation between OpenAI chat.completions and Anthropic Messages, non-streamed: what the gateway calls when a
 * client's format and the upstream's differ. Pure functions of their input; the streamed counterparts are
 * {@link AnthropicToOpenAiStream} and {@link OpenAiToAnthropicStream}.
 *
 * <p>Requests throw {@link TranslationException} (answer 400) for a parameter the other API cannot honour;
 * responses throw {@link UpstreamResponseException} (answer 502) when the upstream's answer is malformed.
 */
public final class AnthropicTranslation {
  private AnthropicTranslation() {}

  /** OpenAI chat.completions request to an Anthropic Messages request for upstream model {@code upstreamModel}. */
  public static ObjectNode toAnthropicRequest(ObjectNode openAi, String upstreamModel) {
    return OpenAiToAnthropicRequest.translate(openAi, upstreamModel);
  }

  /** Anthropic Messages response to an OpenAI chat.completion; {@code model} is the name the client asked for. */
  public static ObjectNode toOpenAiResponse(ObjectNode anthropicMessage, String model) {
    return ResponseTranslation.toOpenAi(anthropicMessage, model);
  }

  /** Anthropic Messages request (as a client sends to /v1/messages) to an OpenAI chat.completions request. */
  public static ObjectNode toOpenAiRequest(ObjectNode anthropic, String upstreamModel) {
    return AnthropicToOpenAiRequest.translate(anthropic, upstreamModel);
  }

  /** OpenAI chat.completion to an Anthropic Messages response; {@code model} is the name the client asked for. */
  public static ObjectNode toAnthropicResponse(ObjectNode openAi, String model) {
    return ResponseTranslation.toAnthropic(openAi, model);
  }
}
