package dev.gatehouse.usage;

import java.util.Collection;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(UsageRecord.class)
public interface UsageDao {
  String COLUMNS = "id, request_id, created_at, principal_id, principal_name, api_key_id, endpoint, model_full_name,"
      + " model_version, alias, connection_name, provider, upstream_model, prompt_tokens, completion_tokens,"
      + " cached_tokens, cache_write_tokens, tokens_estimated, latency_ms, ttft_ms, status_code, error_type, streamed,"
      + " cost_usd, price_ref, unpriced, tags, group_names";

  @SqlUpdate("INSERT INTO usage_records (" + COLUMNS + ") VALUES (:id, :requestId, :createdAt, :principalId,"
      + " :principalName, :apiKeyId, :endpoint, :modelFullName, :modelVersion, :alias, :connectionName, :provider,"
      + " :upstreamModel, :promptTokens, :completionTokens, :cachedTokens, :cacheWriteTokens, :tokensEstimated,"
      + " :latencyMs, :ttftMs, :statusCode, :errorType, :streamed, :costUsd, :priceRef, :unpriced, :tags,"
      + " :groupNames)")
  void insert(@BindMethods UsageRecord record);

  @SqlBatch("INSERT INTO usage_record_tags (record_id, tag_key, tag_value) VALUES (:recordId, :key, :value)")
  void insertTags(@Bind("recordId") String recordId, @Bind("key") List<String> keys,
      @Bind("value") List<String> values);

  @SqlBatch("INSERT INTO usage_record_groups (record_id, group_name) VALUES (:recordId, :group)")
  void insertGroups(@Bind("recordId") String recordId, @Bind("group") Collection<String> groups);

  @SqlQuery("SELECT " + COLUMNS + " FROM usage_records WHERE request_id = :requestId")
  List<UsageRecord> byRequest(@Bind("requestId") String requestId);

  @SqlQuery("SELECT " + COLUMNS + " FROM usage_records WHERE model_full_name = :model ORDER BY created_at")
  List<UsageRecord> byModel(@Bind("model") String modelFullName);
}
