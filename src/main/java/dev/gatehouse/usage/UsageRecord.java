package dev.gatehouse.usage;

import dev.gatehouse.common.JsonText;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One inference request as billed. Token counts follow OpenAI's convention: prompt tokens include
 * cached ones. {@code tokensEstimated}: the provider reported no usage, so the gateway counted.
 * {@code costUsd}: what the call cost at {@code priceRef}; 0 when it reached no provider, or when its
 * model had no price and pricing.unpricedModels let it through ({@code unpriced}).
 */
public record UsageRecord(
    String id,
    String requestId,
    long createdAt,
    String principalId,
    String principalName,
    String apiKeyId,
    String endpoint,
    String modelFullName,
    Long modelVersion,
    String alias,
    String connectionName,
    String provider,
    String upstreamModel,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    long cacheWriteTokens,
    boolean tokensEstimated,
    long latencyMs,
    Long ttftMs,
    int statusCode,
    String errorType,
    boolean streamed,
    BigDecimal costUsd,
    String priceRef,
    boolean unpriced,
    String tags,
    String groupNames) {

  /** The record's cost-attribution tags (stored as a JSON object). */
  public Map<String, String> tagMap() {
    Map<String, String> map = JsonText.readStringMap(tags);
    return map == null ? Map.of() : map;
  }

  /** Its caller's groups at the time of the call (stored as a JSON array). */
  public List<String> groupList() {
    String[] groups = JsonText.read(groupNames, String[].class);
    return groups == null ? List.of() : List.of(groups);
  }
}
