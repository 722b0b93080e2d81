package dev.gatehouse.ratelimit;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(RateLimitRow.class)
public interface RateLimitDao {
  String COLUMNS = "id, scope_type, scope_name, per_member, scope_key, limits, revision, created_at, created_by,"
      + " updated_at, updated_by";

  @SqlUpdate("INSERT INTO rate_limit_rules (" + COLUMNS + ") VALUES (:id, :scopeType, :scopeName, :perMember,"
      + " :scopeKey, :limits, :revision, :createdAt, :createdBy, :updatedAt, :updatedBy)")
  void insert(@BindMethods RateLimitRow row);

  @SqlUpdate("UPDATE rate_limit_rules SET scope_type = :scopeType, scope_name = :scopeName, per_member = :perMember,"
      + " scope_key = :scopeKey, limits = :limits, revision = :revision, updated_at = :updatedAt,"
      + " updated_by = :updatedBy WHERE id = :id")
  int update(@BindMethods RateLimitRow row);

  @SqlUpdate("DELETE FROM rate_limit_rules WHERE id = :id")
  int delete(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM rate_limit_rules WHERE id = :id")
  Optional<RateLimitRow> find(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM rate_limit_rules WHERE scope_key = :scopeKey")
  Optional<RateLimitRow> findByScope(@Bind("scopeKey") String scopeKey);

  /** Every rule, by id: rules are few (admins write them), and the guard holds them all in memory. */
  @SqlQuery("SELECT " + COLUMNS + " FROM rate_limit_rules ORDER BY id")
  List<RateLimitRow> all();
}
