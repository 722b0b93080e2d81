package dev.gatehouse.lineage;

import dev.gatehouse.securable.SecurableRow;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Writes of the lineage graph and the lookups they need. Every write is an insert that does nothing
 * when the row exists (the unique keys of V30), so recording what is known already changes nothing
 * and concurrent writers of the same node or edge wait for each other instead of failing.
 */
public interface LineageDao {
  @SqlUpdate("""
      INSERT INTO lineage_nodes (node_key, node_type, securable_id, namespace, name, created_at)
      VALUES (:key, :type, :securableId, :namespace, :name, :now) ON CONFLICT DO NOTHING
      """)
  int insertNode(@Bind("key") String key, @Bind("type") String type, @Bind("securableId") String securableId,
      @Bind("namespace") String namespace, @Bind("name") String name, @Bind("now") long now);

  @SqlQuery("SELECT id FROM lineage_nodes WHERE node_key = :key")
  Optional<Long> findNode(@Bind("key") String key);

  /** Keeps the name a node shows once its securable is dropped current with renames seen since. */
  @SqlUpdate("UPDATE lineage_nodes SET name = :name WHERE id = :id AND name <> :name")
  int refreshName(@Bind("id") long id, @Bind("name") String name);

  /** The node of {@code key}, created when missing. */
  default long node(String key, NodeType type, String securableId, String namespace, String name, long now) {
    insertNode(key, type.name(), securableId, namespace, name, now);
    long id = findNode(key).orElseThrow();
    refreshName(id, name);
    return id;
  }

  /** 1 when the edge is new, 0 when it was known. */
  @SqlUpdate("""
      INSERT INTO lineage_edges (from_node, to_node, first_event_time, last_event_time)
      VALUES (:from, :to, :time, :time) ON CONFLICT DO NOTHING
      """)
  int insertEdge(@Bind("from") long from, @Bind("to") long to, @Bind("time") long time);

  @SqlQuery("SELECT id FROM lineage_edges WHERE from_node = :from AND to_node = :to")
  long edgeId(@Bind("from") long from, @Bind("to") long to);

  /** Moves the edge's last-seen time forward only, so an old event replayed changes nothing. */
  @SqlUpdate("UPDATE lineage_edges SET last_event_time = :time WHERE id = :id AND last_event_time < :time")
  int touchEdge(@Bind("id") long id, @Bind("time") long time);

  /** 1 when this (producer, run) of the edge is new, 0 when it was recorded already. */
  @SqlUpdate("""
      INSERT INTO lineage_edge_runs (edge_id, producer_type, producer_id, run_id, event_time, recorded_at, recorded_by)
      VALUES (:edge, :type, :producer, :run, :time, :now, :by) ON CONFLICT DO NOTHING
      """)
  int insertRun(@Bind("edge") long edgeId, @Bind("type") String producerType, @Bind("producer") String producerId,
      @Bind("run") String runId, @Bind("time") long eventTime, @Bind("now") long now, @Bind("by") String by);

  @SqlUpdate("""
      INSERT INTO lineage_column_edges (from_node, from_column, to_node, to_column, event_time)
      VALUES (:from, :fromColumn, :to, :toColumn, :time) ON CONFLICT DO NOTHING
      """)
  int insertColumnEdge(@Bind("from") long from, @Bind("fromColumn") String fromColumn, @Bind("to") long to,
      @Bind("toColumn") String toColumn, @Bind("time") long time);

  /** The node of a securable, if lineage ever touched it (node keys of securables are their ids). */
  default Optional<Long> nodeOfSecurable(String securableId) {
    return findNode(securableId);
  }

  /** The version an alias of a model points to (the models feature keeps aliases in model_aliases). */
  @SqlQuery("""
      SELECT v.id, v.securable_type, v.parent_id, v.name, v.full_name, v.owner, v.comment, v.properties,
             v.storage_root, v.storage_location, v.created_at, v.created_by, v.updated_at, v.updated_by
      FROM securables m
      JOIN model_aliases a ON a.model_id = m.id
      JOIN model_versions mv ON mv.model_id = a.model_id AND mv.version = a.version_num
      JOIN securables v ON v.id = mv.id
      WHERE m.securable_type = 'REGISTERED_MODEL' AND m.full_name = :model AND a.alias_name = :alias
      """)
  @RegisterConstructorMapper(SecurableRow.class)
  Optional<SecurableRow> versionOfAlias(@Bind("model") String modelFullName, @Bind("alias") String alias);

  /** The table types (MANAGED, EXTERNAL, VIEW ...) of the given tables, for Databricks' tableInfo. */
  @SqlQuery("SELECT securable_id, table_type FROM table_details WHERE securable_id IN (<ids>)")
  @RegisterConstructorMapper(TableType.class)
  List<TableType> tableTypes(@BindList("ids") Collection<String> securableIds);

  record TableType(String securableId, String tableType) {}

  /** A producer of an edge touching the node, latest first, for Databricks' include_entity_lineage. */
  record EdgeRun(long fromNode, long toNode, String producerType, String producerId, String runId, long eventTime) {}

  @SqlQuery("""
      SELECT e.from_node, e.to_node, r.producer_type, r.producer_id, r.run_id, r.event_time
      FROM lineage_edges e JOIN lineage_edge_runs r ON r.edge_id = e.id
      WHERE e.to_node = :node AND r.producer_type <> ''
      UNION ALL
      SELECT e.from_node, e.to_node, r.producer_type, r.producer_id, r.run_id, r.event_time
      FROM lineage_edges e JOIN lineage_edge_runs r ON r.edge_id = e.id
      WHERE e.from_node = :node AND r.producer_type <> ''
      ORDER BY event_time DESC LIMIT :limit
      """)
  @RegisterConstructorMapper(EdgeRun.class)
  List<EdgeRun> runsAround(@Bind("node") long node, @Bind("limit") int limit);
}
