package dev.gatehouse.usage;

/**
 * Which records a report reads: a time window ({@code from} inclusive, {@code to} exclusive, epoch
 * ms) and optionally one principal (by id), one model (full name) and one API key; null: any.
 */
public record UsageFilter(Long from, Long to, String principalId, String model, String keyId) {
  /** The WHERE clause every report query shares: fixed text, every value bound. */
  static final String WHERE = " WHERE (CAST(:from AS BIGINT) IS NULL OR r.created_at >= :from)"
      + " AND (CAST(:to AS BIGINT) IS NULL OR r.created_at < :to)"
      + " AND (CAST(:principalId AS VARCHAR(36)) IS NULL OR r.principal_id = :principalId)"
      + " AND (CAST(:model AS VARCHAR(1024)) IS NULL OR r.model_full_name = :model)"
      + " AND (CAST(:keyId AS VARCHAR(36)) IS NULL OR r.api_key_id = :keyId)";
}
