package dev.gatehouse.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(UsageRecord.class)
public interface UsageDao {
  String COLUMNS = "id, request_id, created_at, principal_id, principal_name, api_key_id, endpoint, model_full_name,"
      + " model_version, alias, connection_name, provider, upstream_model, prompt_tokens, completion_tokens,"
      + " cached_tokens, cache_write_tokens, tokens_estimated, latency_ms, ttft_ms, status_code, error_type, streamed,"
      + " cost_usd, price_ref, unpriced, tags, group_names";

  String INSERT = "INSERT INTO usage_records (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
      + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  String INSERT_TAG = "INSERT INTO usage_record_tags (record_id, tag_key, tag_value) VALUES (?, ?, ?)";
  String INSERT_GROUP = "INSERT INTO usage_record_groups (record_id, group_name) VALUES (?, ?)";

  /**
   * Inserts the record with its tags and groups in the handle's transaction. Plain JDBC: binding 28
   * named properties through Jdbi, or even attaching this DAO, cost more than the insert itself, and
   * every inference call makes one.
   */
  static void insert(Handle h, UsageRecord r) throws SQLException {
    Connection connection = h.getConnection();
    try (PreparedStatement row = connection.prepareStatement(INSERT)) {
      bind(row, r);
      row.executeUpdate();
    }
    Map<String, String> tags = r.tagMap();
    if (!tags.isEmpty()) {
      try (PreparedStatement tag = connection.prepareStatement(INSERT_TAG)) {
        for (Map.Entry<String, String> t : tags.entrySet()) {
          tag.setString(1, r.id());
          tag.setString(2, t.getKey());
          tag.setString(3, t.getValue());
          tag.addBatch();
        }
        tag.executeBatch();
      }
    }
    List<String> groups = r.groupList();
    if (!groups.isEmpty()) {
      try (PreparedStatement group = connection.prepareStatement(INSERT_GROUP)) {
        for (String g : groups) {
          group.setString(1, r.id());
          group.setString(2, g);
          group.addBatch();
        }
        group.executeBatch();
      }
    }
  }

  private static void bind(PreparedStatement s, UsageRecord r) throws SQLException {
    int i = 0;
    s.setString(++i, r.id());
    s.setString(++i, r.requestId());
    s.setLong(++i, r.createdAt());
    s.setString(++i, r.principalId());
    s.setString(++i, r.principalName());
    s.setString(++i, r.apiKeyId());
    s.setString(++i, r.endpoint());
    s.setString(++i, r.modelFullName());
    s.setObject(++i, r.modelVersion(), Types.BIGINT);
    s.setString(++i, r.alias());
    s.setString(++i, r.connectionName());
    s.setString(++i, r.provider());
    s.setString(++i, r.upstreamModel());
    s.setLong(++i, r.promptTokens());
    s.setLong(++i, r.completionTokens());
    s.setLong(++i, r.cachedTokens());
    s.setLong(++i, r.cacheWriteTokens());
    s.setBoolean(++i, r.tokensEstimated());
    s.setLong(++i, r.latencyMs());
    s.setObject(++i, r.ttftMs(), Types.BIGINT);
    s.setInt(++i, r.statusCode());
    s.setString(++i, r.errorType());
    s.setBoolean(++i, r.streamed());
    s.setBigDecimal(++i, r.costUsd());
    s.setString(++i, r.priceRef());
    s.setBoolean(++i, r.unpriced());
    s.setString(++i, r.tags());
    s.setString(++i, r.groupNames());
  }

  @SqlQuery("SELECT " + COLUMNS + " FROM usage_records WHERE request_id = :requestId")
  List<UsageRecord> byRequest(@Bind("requestId") String requestId);

  @SqlQuery("SELECT " + COLUMNS + " FROM usage_records WHERE model_full_name = :model ORDER BY created_at")
  List<UsageRecord> byModel(@Bind("model") String modelFullName);
}
