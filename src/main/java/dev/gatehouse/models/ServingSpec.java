package dev.gatehouse.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gatehouse.common.GatehouseException;
import java.util.Set;

/**
 * How a version serves through the gateway: which connection and upstream model, what task, and
 * the defaults and caps applied to every request. Immutable with the version.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServingSpec(
    @JsonProperty("connection_name") String connectionName,
    @JsonProperty("upstream_model") String upstreamModel,
    @JsonProperty("task") String task,
    @JsonProperty("max_tokens_cap") Long maxTokensCap,
    @JsonProperty("default_max_tokens") Long defaultMaxTokens,
    @JsonProperty("temperature") Double temperature,
    @JsonProperty("top_p") Double topP,
    @JsonProperty("system_prompt") String systemPrompt) {

  public static final String CHAT = "chat";
  public static final String EMBEDDINGS = "embeddings";
  private static final Set<String> TASKS = Set.of(CHAT, EMBEDDINGS);

  /** Checks the fields and fills the default task. */
  public ServingSpec validated() {
    if (connectionName == null || connectionName.isBlank()) {
      throw GatehouseException.invalid("'serving.connection_name' is required.");
    }
    if (upstreamModel == null || upstreamModel.isBlank() || upstreamModel.length() > 255) {
      throw GatehouseException.invalid("'serving.upstream_model' must be 1 to 255 characters.");
    }
    String t = task == null ? CHAT : task;
    if (!TASKS.contains(t)) {
      throw GatehouseException.invalid("'serving.task' must be chat or embeddings.");
    }
    positive("max_tokens_cap", maxTokensCap);
    positive("default_max_tokens", defaultMaxTokens);
    if (maxTokensCap != null && defaultMaxTokens != null && defaultMaxTokens > maxTokensCap) {
      throw GatehouseException.invalid("'serving.default_max_tokens' must not exceed 'serving.max_tokens_cap'.");
    }
    if (temperature != null && (temperature < 0 || temperature > 2)) {
      throw GatehouseException.invalid("'serving.temperature' must be between 0 and 2.");
    }
    if (topP != null && (topP <= 0 || topP > 1)) {
      throw GatehouseException.invalid("'serving.top_p' must be above 0 and at most 1.");
    }
    if (systemPrompt != null && systemPrompt.length() > 100_000) {
      throw GatehouseException.invalid("'serving.system_prompt' must be at most 100000 characters.");
    }
    return new ServingSpec(connectionName, upstreamModel, t, maxTokensCap, defaultMaxTokens, temperature, topP,
        systemPrompt);
  }

  public ServingSpec withConnectionName(String name) {
    return new ServingSpec(name, upstreamModel, task, maxTokensCap, defaultMaxTokens, temperature, topP, systemPrompt);
  }

  private static void positive(String field, Long value) {
    if (value != null && value < 1) {
      throw GatehouseException.invalid("'serving." + field + "' must be at least 1.");
    }
  }
}
