package dev.gatehouse.lineage;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.lineage.LineageGraphDao.GraphRow;
import dev.gatehouse.securable.SecurableRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Lineage graphs around a securable or one of its columns, each from one recursive query
 * ({@link LineageGraphDao}), with the names of what the caller may not see masked: a node shows its
 * name when the caller may see its securable (BROWSE, or any privilege held on it or above it with
 * effect on it); callers who see the whole metastore (admins, auditors) see every name, including
 * those of external datasets and of dropped securables, whose grants went with them.
 */
public class LineageGraphService {
  public static final int DEFAULT_DEPTH = 5;
  public static final int MAX_DEPTH = 50;
  public static final int DEFAULT_MAX_NODES = 1000;
  public static final int MAX_MAX_NODES = 10_000;
  /** Nodes read for a one-hop answer: the direct neighbours of one table, bounded all the same. */
  static final int MAX_NEIGHBOURS = 10_000;

  private final Jdbi jdbi;
  private final AccessControl access;
  private final SecurableRefs refs;

  public LineageGraphService(Jdbi jdbi, AccessControl access) {
    this.jdbi = jdbi;
    this.access = access;
    this.refs = new SecurableRefs(jdbi, access);
  }

  public enum Direction { UPSTREAM, DOWNSTREAM, BOTH }

  /** A node of an answer. {@code fullName}, {@code namespace}, {@code name} and {@code column} are null when masked. */
  public record GraphNode(String id, long nodeId, String type, String fullName, String namespace, String name,
      String column, int depth, boolean masked, boolean deleted, String securableId) {}

  public record GraphEdge(String source, String target, Long eventTime) {}

  public record Graph(String start, Direction direction, int depth, boolean truncated, List<GraphNode> nodes,
      List<GraphEdge> edges) {}

  public Graph graph(Caller caller, String securableType, String fullName, String direction, Integer depth,
      String columnName, Integer maxNodes) {
    Direction dir = direction(direction);
    int hops = bounded("depth", depth, DEFAULT_DEPTH, MAX_DEPTH);
    int limit = bounded("max_nodes", maxNodes, DEFAULT_MAX_NODES, MAX_MAX_NODES);
    String column = columnName == null ? null : LineageEdges.column("column_name", columnName);
    SecurableRow start = refs.find(caller, securableType, fullName);
    access.requireRead(caller, start);
    int up = dir == Direction.DOWNSTREAM ? 0 : hops;
    int down = dir == Direction.UPSTREAM ? 0 : hops;
    Optional<Long> node = jdbi.withHandle(h -> h.attach(LineageDao.class).nodeOfSecurable(start.id()));
    if (node.isEmpty()) {
      GraphNode alone = new GraphNode("0", 0, NodeType.of(start.securableType()).wireName(), start.fullName(), null,
          null, column, 0, false, false, start.id());
      return new Graph("0", dir, hops, false, List.of(alone), List.of());
    }
    List<GraphRow> rows = query(node.get(), column, up, down, limit + 1);
    Answer answer = answer(caller, start, rows, column != null, limit);
    return new Graph(answer.idOf(node.get(), column), dir, hops, answer.truncated, answer.nodes, answer.edges);
  }

  /** The direct neighbours of a securable (or of one of its columns) and the time each link was last seen. */
  public record Hop(GraphNode node, long eventTime) {}

  public record Neighbours(long nodeId, List<Hop> upstreams, List<Hop> downstreams) {}

  /** One hop up and down from a table (or one of its columns), for the Databricks-compatible API. */
  public Neighbours tableNeighbours(Caller caller, String tableName, String columnName) {
    String column = columnName == null ? null : LineageEdges.column("column_name", columnName);
    SecurableRow start = refs.find(caller, "table", tableName);
    access.requireRead(caller, start);
    Optional<Long> node = jdbi.withHandle(h -> h.attach(LineageDao.class).nodeOfSecurable(start.id()));
    if (node.isEmpty()) {
      return new Neighbours(0, List.of(), List.of());
    }
    Answer answer = answer(caller, start, query(node.get(), column, 1, 1, MAX_NEIGHBOURS), column != null,
        MAX_NEIGHBOURS);
    String self = answer.idOf(node.get(), column);
    Map<String, GraphNode> byId = new HashMap<>();
    answer.nodes.forEach(n -> byId.put(n.id(), n));
    List<Hop> ups = new ArrayList<>();
    List<Hop> downs = new ArrayList<>();
    for (GraphEdge e : answer.edges) {
      long time = e.eventTime() == null ? 0 : e.eventTime();
      if (e.target().equals(self) && !e.source().equals(self)) {
        ups.add(new Hop(byId.get(e.source()), time));
      } else if (e.source().equals(self) && !e.target().equals(self)) {
        downs.add(new Hop(byId.get(e.target()), time));
      }
    }
    return new Neighbours(node.get(), ups, downs);
  }

  /** The producers of the links of a node, latest first. */
  public List<LineageDao.EdgeRun> runsAround(long nodeId, int limit) {
    return jdbi.withHandle(h -> h.attach(LineageDao.class).runsAround(nodeId, limit));
  }

  /** Table types (MANAGED, EXTERNAL, VIEW ...) by securable id. */
  public Map<String, String> tableTypes(List<String> securableIds) {
    Map<String, String> types = new HashMap<>();
    if (!securableIds.isEmpty()) {
      jdbi.withHandle(h -> h.attach(LineageDao.class).tableTypes(securableIds))
          .forEach(t -> types.put(t.securableId(), t.tableType()));
    }
    return types;
  }

  private List<GraphRow> query(long node, String column, int up, int down, int limit) {
    return jdbi.withHandle(h -> column == null
        ? h.attach(LineageGraphDao.class).graph(node, up, down, limit)
        : h.attach(LineageGraphDao.class).columnGraph(node, column, up, down, limit));
  }

  /** The nodes and edges of a query's rows, nearest first, at most {@code limit} nodes, names masked. */
  private static final class Answer {
    final List<GraphNode> nodes = new ArrayList<>();
    final List<GraphEdge> edges = new ArrayList<>();
    final Map<String, String> ids = new HashMap<>();
    boolean truncated;

    String idOf(long node, String column) {
      return ids.get(node + "\n" + (column == null ? "" : column));
    }
  }

  private Answer answer(Caller caller, SecurableRow start, List<GraphRow> rows, boolean columns, int limit) {
    List<GraphRow> nodeRows = new ArrayList<>(rows.stream().filter(r -> r.kind().equals("N")).toList());
    nodeRows.sort(Comparator.comparingInt(GraphRow::depth).thenComparingLong(GraphRow::source)
        .thenComparing(r -> r.sourceColumn() == null ? "" : r.sourceColumn()));
    Answer answer = new Answer();
    if (nodeRows.size() > limit) {
      answer.truncated = true;
      nodeRows = nodeRows.subList(0, limit);
    }
    boolean seesAll = access.seesEverything(caller);
    Set<String> visible = seesAll ? Set.of() : access.visibleAmong(caller, nodeRows.stream()
        .map(GraphRow::securableId).filter(id -> id != null && !id.equals(start.id())).toList());
    Map<Long, Integer> columnsSeen = new HashMap<>();
    for (GraphRow r : nodeRows) {
      String id = columns
          ? r.source() + "/" + columnsSeen.merge(r.source(), 1, Integer::sum)
          : Long.toString(r.source());
      answer.ids.put(r.source() + "\n" + (r.sourceColumn() == null ? "" : r.sourceColumn()), id);
      boolean external = NodeType.EXTERNAL.name().equals(r.nodeType());
      boolean deleted = !external && r.securableId() == null;
      boolean shown = seesAll || start.id().equals(r.securableId())
          || (!external && !deleted && visible.contains(r.securableId()));
      answer.nodes.add(new GraphNode(id, r.source(), r.nodeType().toLowerCase(Locale.ROOT),
          shown && !external ? r.name() : null, shown && external ? r.namespace() : null,
          shown && external ? r.name() : null, shown ? r.sourceColumn() : null, r.depth(), !shown, deleted,
          shown ? r.securableId() : null));
    }
    for (GraphRow r : rows) {
      if (r.kind().equals("E")) {
        String from = answer.ids.get(r.source() + "\n" + (r.sourceColumn() == null ? "" : r.sourceColumn()));
        String to = answer.ids.get(r.target() + "\n" + (r.targetColumn() == null ? "" : r.targetColumn()));
        if (from != null && to != null) {
          answer.edges.add(new GraphEdge(from, to, r.eventTime()));
        }
      }
    }
    return answer;
  }

  private static Direction direction(String value) {
    if (value == null || value.isEmpty()) {
      return Direction.BOTH;
    }
    try {
      return Direction.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw GatehouseException.invalid("'direction' must be upstream, downstream or both.");
    }
  }

  private static int bounded(String field, Integer value, int fallback, int max) {
    if (value == null) {
      return fallback;
    }
    if (value < 1 || value > max) {
      throw GatehouseException.invalid("'" + field + "' must be 1 to " + max + ".");
    }
    return value;
  }
}
