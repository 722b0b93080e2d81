package dev.gatehouse.securable;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The securables table: lookups by full name, keyset-paged children, renames and deletes. */
@RegisterConstructorMapper(SecurableRow.class)
public interface SecurableDao {
  String COLUMNS = "id, securable_type, parent_id, name, full_name, owner, comment, properties, storage_root,"
      + " storage_location, created_at, created_by, updated_at, updated_by";

  @SqlUpdate("INSERT INTO securables (" + COLUMNS + ") VALUES (:id, :securableType, :parentId, :name, :fullName,"
      + " :owner, :comment, :properties, :storageRoot, :storageLocation, :createdAt, :createdBy, :updatedAt, :updatedBy)")
  void insert(@BindMethods SecurableRow row);

  @SqlQuery("SELECT " + COLUMNS + " FROM securables WHERE securable_type = :type AND full_name = :fullName")
  Optional<SecurableRow> find(@Bind("type") SecurableType type, @Bind("fullName") String fullName);

  @SqlQuery("SELECT " + COLUMNS + " FROM securables WHERE id = :id")
  Optional<SecurableRow> findById(@Bind("id") String id);

  /**
   * One page of a parent's children of one type, in name order, after {@code after} (exclusive). The
   * ORDER BY spells out ix_securables_children, whose first two columns are fixed here: H2 reads in
   * index order and stops at the LIMIT only when the ORDER BY starts with the index's columns. The
   * cursor is one comparison ('' sorts before every name, and names are never empty) because H2 starts
   * the index range at it only then: behind "after IS NULL OR name > after" every page read the parent's
   * children from the first one.
   */
  @SqlQuery("SELECT " + COLUMNS + " FROM securables WHERE parent_id = :parentId AND securable_type = :type"
      + " AND name > COALESCE(:after, '')"
      + " ORDER BY parent_id, securable_type, name LIMIT :limit")
  List<SecurableRow> listChildren(@Bind("parentId") String parentId, @Bind("type") SecurableType type,
      @Bind("after") String after, @Bind("limit") int limit);

  /** Locks the row until the transaction ends, so that changes hanging off one securable take turns. */
  @SqlQuery("SELECT id FROM securables WHERE id = :id FOR UPDATE")
  Optional<String> lock(@Bind("id") String id);

  @SqlQuery("SELECT count(*) > 0 FROM securables WHERE parent_id = :id")
  boolean hasChildren(@Bind("id") String id);

  @SqlUpdate("UPDATE securables SET name = :name, full_name = :fullName, owner = :owner, comment = :comment,"
      + " properties = :properties, updated_at = :updatedAt, updated_by = :updatedBy WHERE id = :id")
  int update(@BindMethods SecurableRow row);

  /**
   * After a rename, rewrites the full names of everything beneath: their full names all start with
   * the old full name and a dot (names hold no dots).
   */
  @SqlUpdate("UPDATE securables SET full_name = :newPrefix || SUBSTR(full_name, :oldLength + 1)"
      + " WHERE SUBSTR(full_name, 1, :oldLength) = :oldPrefix AND securable_type <> 'METASTORE'")
  int renameDescendants(@Bind("oldPrefix") String oldPrefix, @Bind("oldLength") int oldLength,
      @Bind("newPrefix") String newPrefix);

  /** Deletes the securable and, through ON DELETE CASCADE, everything beneath it. */
  @SqlUpdate("DELETE FROM securables WHERE id = :id")
  int delete(@Bind("id") String id);
}
