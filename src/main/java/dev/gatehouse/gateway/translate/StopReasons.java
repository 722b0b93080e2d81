package dev.gatehouse.gateway.translate;

/** Why generation stopped, mapped between OpenAI's finish_reason and Anthropic's stop_reason. */
final class StopReasons {
  private StopReasons() {}

  /** Anthropic stop_reason to OpenAI finish_reason; null stays null because stream chunks carry it only at the end. */
  static String toOpenAi(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      // end_turn, stop_sequence, pause_turn and any reason added later: the turn is over as far as OpenAI can say.
      default -> "stop";
    };
  }

  /** OpenAI finish_reason to Anthropic stop_reason. */
  static String toAnthropic(String finishReason) {
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      // OpenAI does not say which stop sequence matched, so "stop" cannot become stop_sequence.
      default -> "end_turn";
    };
  }
}
