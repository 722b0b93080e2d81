package dev.gatehouse.identity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Principals and direct group membership. */
@RegisterConstructorMapper(PrincipalRow.class)
public interface PrincipalDao {
  String COLUMNS = "id, principal_type, name, display_name, email, application_id, external_id, active, created_at, updated_at";

  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @SqlUpdate("""
      INSERT INTO principals (id, principal_type, name, name_key, display_name, email, application_id,
                              external_id, active, created_at, updated_at)
      VALUES (:id, :principalType, :name, :nameKey, :displayName, :email, :applicationId,
              :externalId, :active, :createdAt, :updatedAt)
      """)
  void insert(@BindMethods PrincipalRow row);

  @SqlQuery("SELECT " + COLUMNS + " FROM principals WHERE id = :id")
  Optional<PrincipalRow> findById(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM principals WHERE name_key = :nameKey")
  Optional<PrincipalRow> findByNameKey(@Bind("nameKey") String nameKey);

  @SqlQuery("SELECT count(*) FROM principals")
  long countAll();

  @SqlQuery("SELECT count(*) FROM principals WHERE principal_type = :type")
  int count(@Bind("type") PrincipalType type);

  @SqlQuery("SELECT " + COLUMNS + " FROM principals WHERE principal_type = :type"
      + " ORDER BY name_key LIMIT :limit OFFSET :offset")
  List<PrincipalRow> list(@Bind("type") PrincipalType type, @Bind("offset") int offset, @Bind("limit") int limit);

  /** SCIM {@code attr eq "value"} on an indexed column; {@code column} is one of a fixed set. */
  @SqlQuery("SELECT " + COLUMNS + " FROM principals WHERE principal_type = :type AND name_key = :key")
  List<PrincipalRow> findByTypeAndNameKey(@Bind("type") PrincipalType type, @Bind("key") String key);

  @SqlQuery("SELECT " + COLUMNS + " FROM principals WHERE principal_type = :type"
      + " AND lower(display_name) = :key ORDER BY name_key")
  List<PrincipalRow> findByTypeAndDisplayName(@Bind("type") PrincipalType type, @Bind("key") String key);

  @SqlQuery("SELECT " + COLUMNS + " FROM principals WHERE principal_type = :type"
      + " AND application_id = :applicationId")
  List<PrincipalRow> findByApplicationId(@Bind("type") PrincipalType type, @Bind("applicationId") String applicationId);

  @SqlUpdate("""
      UPDATE principals SET name = :name, name_key = :nameKey, display_name = :displayName, email = :email,
             external_id = :externalId, active = :active, updated_at = :updatedAt
      WHERE id = :id
      """)
  int update(@BindMethods PrincipalRow row);

  @SqlUpdate("DELETE FROM principals WHERE id = :id")
  int delete(@Bind("id") String id);

  /** Idempotent: adding a member twice leaves one row. */
  @SqlUpdate("""
      INSERT INTO group_members (group_id, member_id)
      SELECT :groupId, :memberId WHERE NOT EXISTS
        (SELECT 1 FROM group_members WHERE group_id = :groupId AND member_id = :memberId)
      """)
  int addMember(@Bind("groupId") String groupId, @Bind("memberId") String memberId);

  @SqlUpdate("DELETE FROM group_members WHERE group_id = :groupId AND member_id = :memberId")
  int removeMember(@Bind("groupId") String groupId, @Bind("memberId") String memberId);

  @SqlUpdate("DELETE FROM group_members WHERE group_id = :groupId")
  int removeAllMembers(@Bind("groupId") String groupId);

  @SqlQuery("SELECT p.id, p.principal_type, p.name, p.display_name, p.email, p.application_id, p.external_id,"
      + " p.active, p.created_at, p.updated_at"
      + " FROM group_members m JOIN principals p ON p.id = m.member_id WHERE m.group_id = :groupId ORDER BY p.name_key")
  List<PrincipalRow> directMembers(@Bind("groupId") String groupId);

  @SqlQuery("SELECT p.id, p.principal_type, p.name, p.display_name, p.email, p.application_id, p.external_id,"
      + " p.active, p.created_at, p.updated_at"
      + " FROM group_members m JOIN principals p ON p.id = m.group_id WHERE m.member_id = :memberId ORDER BY p.name_key")
  List<PrincipalRow> directGroups(@Bind("memberId") String memberId);

  /**
   * Every group the principal belongs to, directly or through nested groups. UNION (not UNION ALL)
   * drops repeated rows, and the depth bound stops the walk should a cycle ever be stored.
   */
  @SqlQuery("""
      WITH RECURSIVE ancestry (group_id, depth) AS (
        SELECT group_id, 1 FROM group_members WHERE member_id = :memberId
        UNION
        SELECT m.group_id, a.depth + 1 FROM group_members m JOIN ancestry a ON m.member_id = a.group_id
        WHERE a.depth < 32
      )
      SELECT DISTINCT p.id, p.principal_type, p.name, p.display_name, p.email, p.application_id, p.external_id,
             p.active, p.created_at, p.updated_at
      FROM ancestry a JOIN principals p ON p.id = a.group_id
      """)
  List<PrincipalRow> transitiveGroups(@Bind("memberId") String memberId);
}
