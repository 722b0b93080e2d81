package dev.gatehouse.usage;

/**
 * One inference request as billed. Token counts follow OpenAI's convention: prompt tokens include
 * cached ones. {@code tokensEstimated}: the provider reported no usage, so the gateway counted.
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
    boolean streamed) {}
