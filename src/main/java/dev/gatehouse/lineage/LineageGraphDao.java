package dev.gatehouse.lineage;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The walks of the lineage graph, each one recursive query (Marquez's LineageDao does the same).
 * {@code up} and {@code down} step along edges one hop at a time up to their depth bound (0 turns a
 * direction off); each row is an edge walked, at the step it was reached, with the node it reached
 * (the source going up, the target going down) and that node's current name, or the name it had
 * when its securable was dropped. Measured choices (bench/README-lineage.md):
 * <ul>
 *   <li>DISTINCT in the recursive term: an edge reached along several paths of the same length (a
 *       diamond) must be one row, or each step multiplies the rows by the fan-in (5^10 at depth 10
 *       with 5 inputs a table). PostgreSQL's UNION discards such rows; H2's does not (12 million
 *       rows scanned for 225 nodes), so the step dedupes itself, on both. A cycle ends at the depth
 *       bound: an edge comes back only with a greater depth;</li>
 *   <li>the walk is referenced once: H2 evaluates a CTE again at every reference, and again for
 *       every probe of a join or IN against it (seconds instead of milliseconds), so grouping the
 *       rows into distinct nodes and edges, and capping the nodes, is left to the caller;</li>
 *   <li>rows come nearest first and at most {@code limit} of them, so the answer is bounded whatever
 *       the graph.</li>
 * </ul>
 * H2 wants a column list on every CTE of a WITH RECURSIVE; PostgreSQL accepts it.
 */
public interface LineageGraphDao {
  /**
   * One walked edge and the node it reached. In a column walk the columns are set and
   * {@code reachedColumn} is the column of the reached node.
   */
  record WalkRow(long fromNode, long toNode, int depth, long eventTime, long reached, String nodeType,
      String securableId, String namespace, String name, String fromColumn, String toColumn, String reachedColumn) {}

  @SqlQuery("""
      WITH RECURSIVE up (from_node, to_node, depth, event_time) AS (
        SELECT e.from_node, e.to_node, 1, e.last_event_time FROM lineage_edges e
        WHERE e.to_node = :start AND :up > 0
        UNION
        SELECT DISTINCT e.from_node, e.to_node, u.depth + 1, e.last_event_time
        FROM up u JOIN lineage_edges e ON e.to_node = u.from_node WHERE u.depth < :up
      ), down (from_node, to_node, depth, event_time) AS (
        SELECT e.from_node, e.to_node, 1, e.last_event_time FROM lineage_edges e
        WHERE e.from_node = :start AND :down > 0
        UNION
        SELECT DISTINCT e.from_node, e.to_node, d.depth + 1, e.last_event_time
        FROM down d JOIN lineage_edges e ON e.from_node = d.to_node WHERE d.depth < :down
      )
      SELECT w.from_node, w.to_node, w.depth, w.event_time, w.reached, n.node_type, n.securable_id, n.namespace,
             COALESCE(s.full_name, n.name) AS name, CAST(NULL AS VARCHAR(255)) AS from_column,
             CAST(NULL AS VARCHAR(255)) AS to_column, CAST(NULL AS VARCHAR(255)) AS reached_column
      FROM (SELECT from_node, to_node, depth, event_time, from_node AS reached FROM up
            UNION ALL
            SELECT from_node, to_node, depth, event_time, to_node FROM down) w
      JOIN lineage_nodes n ON n.id = w.reached LEFT JOIN securables s ON s.id = n.securable_id
      ORDER BY w.depth LIMIT :limit
      """)
  @RegisterConstructorMapper(WalkRow.class)
  List<WalkRow> walk(@Bind("start") long start, @Bind("up") int upDepth, @Bind("down") int downDepth,
      @Bind("limit") int limit);

  /** {@link #walk} over column mappings: a node of the walk is a (lineage node, column) pair. */
  @SqlQuery("""
      WITH RECURSIVE up (from_node, from_column, to_node, to_column, depth, event_time) AS (
        SELECT e.from_node, e.from_column, e.to_node, e.to_column, 1, e.event_time FROM lineage_column_edges e
        WHERE e.to_node = :start AND e.to_column = :column AND :up > 0
        UNION
        SELECT DISTINCT e.from_node, e.from_column, e.to_node, e.to_column, u.depth + 1, e.event_time
        FROM up u JOIN lineage_column_edges e ON e.to_node = u.from_node AND e.to_column = u.from_column
        WHERE u.depth < :up
      ), down (from_node, from_column, to_node, to_column, depth, event_time) AS (
        SELECT e.from_node, e.from_column, e.to_node, e.to_column, 1, e.event_time FROM lineage_column_edges e
        WHERE e.from_node = :start AND e.from_column = :column AND :down > 0
        UNION
        SELECT DISTINCT e.from_node, e.from_column, e.to_node, e.to_column, d.depth + 1, e.event_time
        FROM down d JOIN lineage_column_edges e ON e.from_node = d.to_node AND e.from_column = d.to_column
        WHERE d.depth < :down
      )
      SELECT w.from_node, w.to_node, w.depth, w.event_time, w.reached, n.node_type, n.securable_id, n.namespace,
             COALESCE(s.full_name, n.name) AS name, w.from_column, w.to_column, w.reached_column
      FROM (SELECT from_node, from_column, to_node, to_column, depth, event_time, from_node AS reached,
                   from_column AS reached_column FROM up
            UNION ALL
            SELECT from_node, from_column, to_node, to_column, depth, event_time, to_node, to_column FROM down) w
      JOIN lineage_nodes n ON n.id = w.reached LEFT JOIN securables s ON s.id = n.securable_id
      ORDER BY w.depth LIMIT :limit
      """)
  @RegisterConstructorMapper(WalkRow.class)
  List<WalkRow> columnWalk(@Bind("start") long start, @Bind("column") String column, @Bind("up") int upDepth,
      @Bind("down") int downDepth, @Bind("limit") int limit);
}
