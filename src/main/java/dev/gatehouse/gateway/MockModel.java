package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic model for MOCK connections: the same request always gets the same answer, with
 * the configured latency before the first token, pace in tokens per second and answer length, so
 * the gateway can be shown, tested and benchmarked with no network and no provider bill.
 */
public final class MockModel {
  private static final String[] WORDS = {"Gatehouse", "governs", "every", "model", "call", "with", "grants,", "budgets",
      "and", "an", "audit", "trail;", "this", "reply", "comes", "from", "a", "mock", "connection", "that",
      "answers", "the", "same", "way", "each", "time."};
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final long latencyMs;
  private final long tokensPerSecond;
  private final long completionTokens;

  public MockModel(ConnectionOptions options) {
    this.latencyMs = options.number("latency_ms", 0);
    this.tokensPerSecond = options.number("tokens_per_second", 0);
    this.completionTokens = Math.max(1, options.number("completion_tokens", 16));
  }

  /** The answer's words: as many as asked (max_tokens caps them), chosen from the prompt. */
  public List<String> words(JsonNode request, String upstreamModel) {
    long max = request.path("max_tokens").asLong(request.path("max_completion_tokens").asLong(Long.MAX_VALUE));
    long n = Math.min(completionTokens, max);
    int seed = Math.floorMod((upstreamModel + request.path("messages").toString()).hashCode(), WORDS.length);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      words.add((i == 0 ? "" : " ") + WORDS[(seed + i) % WORDS.length]);
    }
    return words;
  }

  public void waitForFirstToken() {
    pause(latencyMs);
  }

  public void waitForNextToken() {
    if (tokensPerSecond > 0) {
      pause(1000 / tokensPerSecond);
    }
  }

  /** A whole chat.completion in OpenAI's shape. */
  public ObjectNode completion(JsonNode request, String model, String upstreamModel, long promptTokens) {
    waitForFirstToken();
    List<String> words = words(request, upstreamModel);
    for (int i = 1; i < words.size(); i++) {
      waitForNextToken();
    }
    ObjectNode message = JSON.objectNode().put("role", "assistant").put("content", String.join("", words));
    ObjectNode choice = JSON.objectNode().put("index", 0);
    choice.set("message", message);
    choice.put("finish_reason", words.size() < completionTokens ? "length" : "stop");
    ObjectNode body = base("chat.completion", model);
    body.putArray("choices").add(choice);
    body.set("usage", usage(promptTokens, words.size()));
    return body;
  }

  /** Embeddings: a fixed-size vector per input, derived from its text. */
  public ObjectNode embeddings(JsonNode request, String model, long promptTokens) {
    waitForFirstToken();
    JsonNode input = request.get("input");
    List<String> inputs = new ArrayList<>();
    if (input != null && input.isArray()) {
      input.forEach(i -> inputs.add(i.asText()));
    } else if (input != null) {
      inputs.add(input.asText());
    }
    int dimensions = request.path("dimensions").asInt(8);
    ArrayNode data = JSON.arrayNode();
    for (int i = 0; i < inputs.size(); i++) {
      ArrayNode vector = JSON.arrayNode();
      int h = inputs.get(i).hashCode();
      for (int d = 0; d < dimensions; d++) {
        vector.add(((h >>> (d % 32)) & 0xff) / 255.0);
      }
      data.add(JSON.objectNode().put("object", "embedding").put("index", i).set("embedding", vector));
    }
    ObjectNode body = JSON.objectNode().put("object", "list").put("model", model);
    body.set("data", data);
    body.set("usage", JSON.objectNode().put("prompt_tokens", promptTokens).put("total_tokens", promptTokens));
    return body;
  }

  static ObjectNode chunk(String model, String content, String finishReason) {
    ObjectNode delta = JSON.objectNode();
    if (content != null) {
      delta.put("content", content);
    }
    ObjectNode choice = JSON.objectNode().put("index", 0);
    choice.set("delta", delta);
    choice.put("finish_reason", finishReason);
    ObjectNode chunk = base("chat.completion.chunk", model);
    chunk.putArray("choices").add(choice);
    return chunk;
  }

  static ObjectNode usageChunk(String model, long prompt, long completion) {
    ObjectNode chunk = base("chat.completion.chunk", model);
    chunk.putArray("choices");
    chunk.set("usage", usage(prompt, completion));
    return chunk;
  }

  private static ObjectNode usage(long prompt, long completion) {
    return JSON.objectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }

  private static ObjectNode base(String object, String model) {
    return JSON.objectNode().put("id", "chatcmpl-mock-" + Long.toHexString(System.nanoTime()))
        .put("object", object).put("created", System.currentTimeMillis() / 1000).put("model", model);
  }

  private static void pause(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
