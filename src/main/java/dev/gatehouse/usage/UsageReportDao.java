package dev.gatehouse.usage;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * The report queries over the ledger. A summary's GROUP BY is assembled from {@link SummaryKey}
 * expressions (a fixed list) and LEFT JOINs to the tag and group side tables; every value is bound.
 */
public final class UsageReportDao {
  private static final String SUMS = "COUNT(*) AS requests, COALESCE(SUM(r.prompt_tokens), 0) AS prompt_tokens,"
      + " COALESCE(SUM(r.completion_tokens), 0) AS completion_tokens, COALESCE(SUM(r.cached_tokens), 0) AS cached_tokens,"
      + " COALESCE(SUM(r.cost_usd), 0) AS cost_usd";

  private final Handle h;

  public UsageReportDao(Handle h) {
    this.h = h;
  }

  /** Requests, tokens and cost of one group (or of everything). */
  public record Sums(long requests, long promptTokens, long completionTokens, long cachedTokens, BigDecimal costUsd) {
    static Sums read(ResultSet rs) throws SQLException {
      return new Sums(rs.getLong("requests"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
          rs.getLong("cached_tokens"), rs.getBigDecimal("cost_usd"));
    }
  }

  /** One row of a summary: the values of its group_by keys, in order, and its sums. */
  public record Row(List<Object> keys, Sums sums) {}

  /** Per alias and version of one model. */
  public record Variant(String alias, Long version, long requests, long errors, long promptTokens,
      long completionTokens, long cachedTokens, BigDecimal costUsd, Long latencyP50, Long latencyP95) {}

  public List<Row> summary(List<SummaryKey> keys, UsageFilter filter, int limit) {
    StringBuilder select = new StringBuilder("SELECT ");
    StringBuilder joins = new StringBuilder();
    StringBuilder group = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      SummaryKey key = keys.get(i);
      select.append(key.expression()).append(" AS k").append(i).append(", ");
      group.append(i == 0 ? "" : ", ").append(key.expression());
      if (key.tagKey() != null) {
        String t = key.expression().substring(0, key.expression().indexOf('.'));
        joins.append(" LEFT JOIN usage_record_tags ").append(t).append(" ON ").append(t).append(".record_id = r.id AND ")
            .append(t).append(".tag_key = :").append(t);
      } else if ("group".equals(key.name())) {
        joins.append(" LEFT JOIN usage_record_groups g ON g.record_id = r.id");
      }
    }
    String sql = select + SUMS + " FROM usage_records r" + joins + UsageFilter.WHERE
        + (keys.isEmpty() ? "" : " GROUP BY " + group + " ORDER BY " + group) + " LIMIT :limit";
    Query query = bind(h.createQuery(sql), filter).bind("limit", limit);
    for (SummaryKey key : keys) {
      if (key.tagKey() != null) {
        query.bind(key.expression().substring(0, key.expression().indexOf('.')), key.tagKey());
      }
    }
    return query.map((rs, ctx) -> {
      List<Object> values = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        values.add(rs.getObject("k" + i));
      }
      return new Row(values, Sums.read(rs));
    }).list();
  }

  public Sums totals(UsageFilter filter) {
    return bind(h.createQuery("SELECT " + SUMS + " FROM usage_records r" + UsageFilter.WHERE), filter)
        .map((rs, ctx) -> Sums.read(rs)).one();
  }

  /** Records newest first, after the keyset cursor (created_at, id) when given. */
  public List<UsageRecord> page(UsageFilter filter, Long afterTime, String afterId, int limit) {
    return bind(h.createQuery("SELECT " + prefixed() + " FROM usage_records r" + UsageFilter.WHERE
        + " AND (CAST(:afterTime AS BIGINT) IS NULL OR r.created_at < :afterTime"
        + " OR (r.created_at = :afterTime AND r.id < :afterId))"
        + " ORDER BY r.created_at DESC, r.id DESC LIMIT :limit"), filter)
        .bind("afterTime", afterTime).bind("afterId", afterId).bind("limit", limit)
        .map(ConstructorMapper.of(UsageRecord.class)).list();
  }

  /** Every matching record, newest first, in constant memory (the handle must be in a transaction). */
  public void stream(UsageFilter filter, Consumer<UsageRecord> sink) {
    bind(h.createQuery("SELECT " + prefixed() + " FROM usage_records r" + UsageFilter.WHERE
        + " ORDER BY r.created_at DESC, r.id DESC"), filter)
        .setFetchSize(500)
        .map(ConstructorMapper.of(UsageRecord.class)).useStream(s -> s.forEach(sink));
  }

  /**
   * Per alias and version that served the filter's model (records that reached no version are left out):
   * errors are answers of 400 and above other than 499 (the client left).
   */
  public List<Variant> compare(UsageFilter filter) {
    return bind(h.createQuery("SELECT r.alias, r.model_version, COUNT(*) AS requests,"
        + " SUM(CASE WHEN r.status_code >= 400 AND r.status_code <> 499 THEN 1 ELSE 0 END) AS errors,"
        + " COALESCE(SUM(r.prompt_tokens), 0) AS prompt_tokens, COALESCE(SUM(r.completion_tokens), 0) AS completion_tokens,"
        + " COALESCE(SUM(r.cached_tokens), 0) AS cached_tokens, COALESCE(SUM(r.cost_usd), 0) AS cost_usd,"
        + " PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY r.latency_ms) AS p50,"
        + " PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY r.latency_ms) AS p95"
        + " FROM usage_records r" + UsageFilter.WHERE + " AND r.model_version IS NOT NULL"
        + " GROUP BY r.alias, r.model_version ORDER BY r.alias, r.model_version"), filter)
        .map((rs, ctx) -> new Variant(rs.getString("alias"), rs.getLong("model_version"), rs.getLong("requests"),
            rs.getLong("errors"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
            rs.getLong("cached_tokens"), rs.getBigDecimal("cost_usd"), nullableLong(rs, "p50"),
            nullableLong(rs, "p95")))
        .list();
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static String prefixed() {
    return "r." + UsageDao.COLUMNS.replace(", ", ", r.");
  }

  private static Query bind(Query query, UsageFilter f) {
    return query.bind("from", f.from()).bind("to", f.to()).bind("principalId", f.principalId())
        .bind("model", f.model()).bind("keyId", f.keyId());
  }
}
