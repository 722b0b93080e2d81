package dev.gatehouse.identity;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ApiKeyRow.class)
public interface ApiKeyDao {
  String COLUMNS = "id, principal_id, name, prefix, secret_hash, created_at, created_by, expires_at, revoked_at, last_used_at";

  @SqlUpdate("""
      INSERT INTO api_keys (id, principal_id, name, prefix, secret_hash, created_at, created_by, expires_at)
      VALUES (:id, :principalId, :name, :prefix, :secretHash, :createdAt, :createdBy, :expiresAt)
      """)
  void insert(@BindMethods ApiKeyRow row);

  @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE prefix = :prefix")
  Optional<ApiKeyRow> findByPrefix(@Bind("prefix") String prefix);

  @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
  Optional<ApiKeyRow> findById(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE principal_id = :principalId"
      + " AND (CAST(:after AS VARCHAR(36)) IS NULL OR id > :after) ORDER BY id LIMIT :limit")
  List<ApiKeyRow> listByPrincipal(@Bind("principalId") String principalId, @Bind("after") String after,
      @Bind("limit") int limit);

  @SqlQuery("SELECT " + COLUMNS + " FROM api_keys"
      + " WHERE (CAST(:after AS VARCHAR(36)) IS NULL OR id > :after) ORDER BY id LIMIT :limit")
  List<ApiKeyRow> listAll(@Bind("after") String after, @Bind("limit") int limit);

  @SqlUpdate("UPDATE api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
  int revoke(@Bind("id") String id, @Bind("now") long now);

  @SqlUpdate("UPDATE api_keys SET revoked_at = :now WHERE principal_id = :principalId AND revoked_at IS NULL")
  int revokeAllOf(@Bind("principalId") String principalId, @Bind("now") long now);

  /** Records use at most once per {@code minInterval} ms, so busy keys cost no write per request. */
  @SqlUpdate("UPDATE api_keys SET last_used_at = :now WHERE id = :id"
      + " AND (last_used_at IS NULL OR last_used_at < :now - :minInterval)")
  int touch(@Bind("id") String id, @Bind("now") long now, @Bind("minInterval") long minInterval);
}
