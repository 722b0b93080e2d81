package dev.gatehouse.access;

import dev.gatehouse.db.Dialects;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Grants, and the few indexed queries every permission check is made of. */
public interface GrantDao extends SqlObject {

  /**
   * The securable's ancestry (itself, parent, ..., metastore) with the grants any of
   * {@code principalIds} hold at each level, and whether the securable has children: one round trip
   * per check, and for most denials the only one (see {@code AccessControl#visible}).
   */
  @SqlQuery("""
      WITH RECURSIVE chain (id, securable_type, parent_id, full_name, owner, depth) AS (
        SELECT id, securable_type, parent_id, full_name, owner, 0 FROM securables WHERE id = :id
        UNION ALL
        SELECT s.id, s.securable_type, s.parent_id, s.full_name, s.owner, c.depth + 1
        FROM securables s JOIN chain c ON s.id = c.parent_id WHERE c.depth < 8
      )
      SELECT c.id, c.securable_type, c.full_name, c.owner, c.depth, g.privilege,
             EXISTS (SELECT 1 FROM securables k WHERE k.parent_id = :id) AS target_has_children
      FROM chain c LEFT JOIN grants g ON g.securable_id = c.id AND g.principal_id IN (<principalIds>)
      ORDER BY c.depth
      """)
  @RegisterConstructorMapper(ChainLink.class)
  List<ChainLink> chainWithGrants(@Bind("id") String id, @BindList("principalIds") Collection<String> principalIds);

  /** A {@link ChainLink} of the ancestry of {@code startId}, for checks of many securables at once. */
  record StartedLink(String startId, String id, SecurableType securableType, String fullName, String owner, int depth,
      String privilege, boolean targetHasChildren) {
    ChainLink link() {
      return new ChainLink(id, securableType, fullName, owner, depth, privilege, targetHasChildren);
    }
  }

  /**
   * {@link #chainWithGrants} for many securables in one round trip: each row names the securable
   * whose ancestry it belongs to. Ordered by securable, then nearest first.
   */
  @SqlQuery("""
      WITH RECURSIVE chain (start_id, id, securable_type, parent_id, full_name, owner, depth) AS (
        SELECT id, id, securable_type, parent_id, full_name, owner, 0 FROM securables WHERE id IN (<ids>)
        UNION ALL
        SELECT c.start_id, s.id, s.securable_type, s.parent_id, s.full_name, s.owner, c.depth + 1
        FROM securables s JOIN chain c ON s.id = c.parent_id WHERE c.depth < 8
      )
      SELECT c.start_id, c.id, c.securable_type, c.full_name, c.owner, c.depth, g.privilege,
             EXISTS (SELECT 1 FROM securables k WHERE k.parent_id = c.start_id) AS target_has_children
      FROM chain c LEFT JOIN grants g ON g.securable_id = c.id AND g.principal_id IN (<principalIds>)
      ORDER BY c.start_id, c.depth
      """)
  @RegisterConstructorMapper(StartedLink.class)
  List<StartedLink> chainsWithGrants(@BindList("ids") Collection<String> ids,
      @BindList("principalIds") Collection<String> principalIds);

  /** Whether the principals hold any grant on something inside the catalog or schema {@code id}. */
  @SqlQuery("""
      SELECT EXISTS (SELECT 1 FROM grants WHERE catalog_id = :id AND principal_id IN (<principalIds>))
          OR EXISTS (SELECT 1 FROM grants WHERE schema_id = :id AND principal_id IN (<principalIds>))
      """)
  boolean holdsAnythingInside(@Bind("id") String id, @BindList("principalIds") Collection<String> principalIds);

  /** Whether the principals own something directly or two levels beneath {@code id}. */
  @SqlQuery("""
      SELECT EXISTS (SELECT 1 FROM securables c WHERE c.owner IN (<names>) AND c.parent_id = :id)
          OR EXISTS (SELECT 1 FROM securables c JOIN securables p ON c.parent_id = p.id
                     WHERE c.owner IN (<names>) AND p.parent_id = :id)
      """)
  boolean ownsAnythingInside(@Bind("id") String id, @BindList("names") Collection<String> names);

  /**
   * One page of a container's children of one type that the principals may see without a blanket
   * right on the container: what they own, hold a grant on, or hold or own something inside.
   * Shaped for both planners (measurements in bench/README-access.md):
   * <ul>
   *   <li>grants carry catalog_id and schema_id, so only a catalog or schema child can hold a grant
   *       inside it: the type tests skip those two probes for every other kind of child;</li>
   *   <li>"owns a child" is one uncorrelated set, built once per page, not a per-row walk of all the
   *       caller owns (what H2 did through ix_securables_owner);</li>
   *   <li>the ORDER BY names the whole index (parent_id and securable_type are fixed, so the order is
   *       by name): H2 stops at the LIMIT only when the ORDER BY starts with the index's columns; by
   *       name alone it filtered and sorted every remaining child on every page;</li>
   *   <li>the cursor is one comparison, as in {@code SecurableDao#listChildren}, so that H2 starts the
   *       index range at it instead of filtering every child before it again on each later page;</li>
   *   <li>"a grant on it" takes the shape each database runs best, below.</li>
   * </ul>
   */
  default List<SecurableRow> listVisibleChildren(String parentId, SecurableType type, String after, int limit,
      Collection<String> principalIds, Collection<String> names) {
    return Dialects.isPostgres(getHandle())
        ? listVisibleChildrenProbing(parentId, type, after, limit, principalIds, names)
        : listVisibleChildrenFromSet(parentId, type, after, limit, principalIds, names);
  }

  /** {@link #listVisibleChildren} up to its "a grant on it" test. */
  String VISIBLE_CHILDREN = """
      SELECT s.id, s.securable_type, s.parent_id, s.name, s.full_name, s.owner, s.comment, s.properties,
             s.storage_root, s.storage_location, s.created_at, s.created_by, s.updated_at, s.updated_by
      FROM securables s
      WHERE s.parent_id = :parentId AND s.securable_type = :type
        AND s.name > COALESCE(:after, '')
        AND (s.owner IN (<names>)
          OR\s""";

  /** {@link #listVisibleChildren} after its "a grant on it" test. */
  String VISIBLE_CHILDREN_REST = """

          OR (:type = 'CATALOG'
              AND EXISTS (SELECT 1 FROM grants g WHERE g.catalog_id = s.id AND g.principal_id IN (<principalIds>)))
          OR (:type = 'SCHEMA'
              AND EXISTS (SELECT 1 FROM grants g WHERE g.schema_id = s.id AND g.principal_id IN (<principalIds>)))
          OR s.id IN (SELECT d.parent_id FROM securables d WHERE d.owner IN (<names>)))
      ORDER BY s.parent_id, s.securable_type, s.name LIMIT :limit
      """;

  /**
   * PostgreSQL: a grant on each child as a correlated EXISTS, which its planner turns into one hashed
   * set of the principals' grants or a primary-key probe per child, whichever it estimates cheaper.
   * Spelled as an uncorrelated IN it would only have the set, kept even when the principals hold more
   * grants than fit in memory, where PostgreSQL falls back to scanning that set for every child.
   */
  @SqlQuery(VISIBLE_CHILDREN
      + "EXISTS (SELECT 1 FROM grants g WHERE g.securable_id = s.id AND g.principal_id IN (<principalIds>))"
      + VISIBLE_CHILDREN_REST)
  @RegisterConstructorMapper(SecurableRow.class)
  List<SecurableRow> listVisibleChildrenProbing(@Bind("parentId") String parentId, @Bind("type") SecurableType type,
      @Bind("after") String after, @Bind("limit") int limit,
      @BindList("principalIds") Collection<String> principalIds, @BindList("names") Collection<String> names);

  /**
   * H2: a grant on each child as membership in one uncorrelated set of the principals' grants, which
   * H2 reads once per query through an index on principal_id and then looks each child up in. H2 runs a
   * correlated EXISTS as a subquery per child instead, ~14 us each over the million grants of
   * bench/access.sh: 29 ms of CPU for a page of 1,000 visible children among 2,000, against 4 ms with
   * the set (the 7,800 grants of that user and its groups).
   */
  @SqlQuery(VISIBLE_CHILDREN
      + "s.id IN (SELECT g.securable_id FROM grants g WHERE g.principal_id IN (<principalIds>))"
      + VISIBLE_CHILDREN_REST)
  @RegisterConstructorMapper(SecurableRow.class)
  List<SecurableRow> listVisibleChildrenFromSet(@Bind("parentId") String parentId, @Bind("type") SecurableType type,
      @Bind("after") String after, @Bind("limit") int limit,
      @BindList("principalIds") Collection<String> principalIds, @BindList("names") Collection<String> names);

  @SqlQuery("""
      SELECT g.securable_id, g.principal_id, p.name AS principal_name, g.privilege
      FROM grants g JOIN principals p ON p.id = g.principal_id
      WHERE g.securable_id = :securableId ORDER BY p.name_key, g.privilege
      """)
  @RegisterConstructorMapper(GrantRow.class)
  List<GrantRow> grantsOn(@Bind("securableId") String securableId);

  /** Idempotent: granting what is held already changes nothing. */
  @SqlUpdate("""
      INSERT INTO grants (securable_id, principal_id, privilege, catalog_id, schema_id, granted_at, granted_by)
      SELECT :securableId, :principalId, :privilege, :catalogId, :schemaId, :now, :by
      WHERE NOT EXISTS (SELECT 1 FROM grants WHERE securable_id = :securableId AND principal_id = :principalId
                        AND privilege = :privilege)
      """)
  int grant(@Bind("securableId") String securableId, @Bind("principalId") String principalId,
      @Bind("privilege") String privilege, @Bind("catalogId") String catalogId, @Bind("schemaId") String schemaId,
      @Bind("now") long now, @Bind("by") String by);

  @SqlUpdate("DELETE FROM grants WHERE securable_id = :securableId AND principal_id = :principalId"
      + " AND privilege = :privilege")
  int revoke(@Bind("securableId") String securableId, @Bind("principalId") String principalId,
      @Bind("privilege") String privilege);
}
