package dev.gatehouse.lineage;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.lineage.LineageGraphDao.WalkRow;
import dev.gatehouse.securable.SecurableRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    int rowCap = walkRows(limit);
    Answer answer = answer(caller, start, node.get(), column, walk(node.get(), column, up, down, rowCap), rowCap,
        limit);
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
    int rowCap = walkRows(MAX_NEIGHBOURS);
    Answer answer = answer(caller, start, node.get(), column, walk(node.get(), column, 1, 1, rowCap), rowCap,
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

  /**
   * Walk rows fetched for an answer of {@code limit} nodes: enough for every edge of them at the
   * fan-ins lineage has (tens), bounded so that no graph can make an answer unbounded.
   */
  public static int walkRows(int limit) {
    return Math.min(limit * 50, 200_000);
  }

  private List<WalkRow> walk(long node, String column, int up, int down, int rows) {
    return jdbi.withHandle(h -> column == null
        ? h.attach(LineageGraphDao.class).walk(node, up, down, rows)
        : h.attach(LineageGraphDao.class).columnWalk(node, column, up, down, rows));
  }

  /** A node or edge of a walk before masking: the start and every node reached, at its smallest depth. */
  private record Reached(long nodeId, String column, int depth, String nodeType, String securableId,
      String namespace, String name) {}

  private record EdgeKey(long from, String fromColumn, long to, String toColumn) {}

  /** The nodes and edges of a walk, nearest first, at most {@code limit} nodes, names masked. */
  private static final class Answer {
    final List<GraphNode> nodes = new ArrayList<>();
    final List<GraphEdge> edges = new ArrayList<>();
    final Map<String, String> ids = new HashMap<>();
    boolean truncated;

    String idOf(long node, String column) {
      return ids.get(key(node, column));
    }
  }

  private static String key(long node, String column) {
    return node + "\n" + (column == null ? "" : column);
  }

  private Answer answer(Caller caller, SecurableRow start, long startNode, String startColumn, List<WalkRow> rows,
      int rowCap, int limit) {
    Map<String, Reached> reached = new HashMap<>();
    reached.put(key(startNode, startColumn), new Reached(startNode, startColumn, 0,
        NodeType.of(start.securableType()).name(), start.id(), null, start.fullName()));
    Map<EdgeKey, long[]> walked = new LinkedHashMap<>();
    for (WalkRow r : rows) {
      reached.merge(key(r.reached(), r.reachedColumn()), new Reached(r.reached(), r.reachedColumn(), r.depth(),
          r.nodeType(), r.securableId(), r.namespace(), r.name()), (a, b) -> a.depth() <= b.depth() ? a : b);
      walked.merge(new EdgeKey(r.fromNode(), r.fromColumn(), r.toNode(), r.toColumn()),
          new long[] {r.depth(), r.eventTime()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<Reached> nodes = new ArrayList<>(reached.values());
    nodes.sort(Comparator.comparingInt(Reached::depth).thenComparingLong(Reached::nodeId)
        .thenComparing(r -> r.column() == null ? "" : r.column()));
    Answer answer = new Answer();
    answer.truncated = rows.size() >= rowCap;
    if (nodes.size() > limit) {
      answer.truncated = true;
      nodes = nodes.subList(0, limit);
    }
    boolean seesAll = access.seesEverything(caller);
    Set<String> visible = seesAll ? Set.of() : access.visibleAmong(caller, nodes.stream()
        .map(Reached::securableId).filter(id -> id != null && !id.equals(start.id())).toList());
    boolean columns = startColumn != null;
    Map<Long, Integer> columnsSeen = new HashMap<>();
    for (Reached r : nodes) {
      String id = columns
          ? r.nodeId() + "/" + columnsSeen.merge(r.nodeId(), 1, Integer::sum)
          : Long.toString(r.nodeId());
      answer.ids.put(key(r.nodeId(), r.column()), id);
      boolean external = NodeType.EXTERNAL.name().equals(r.nodeType());
      boolean deleted = !external && r.securableId() == null;
      boolean shown = seesAll || start.id().equals(r.securableId())
          || (!external && !deleted && visible.contains(r.securableId()));
      answer.nodes.add(new GraphNode(id, r.nodeId(), r.nodeType().toLowerCase(Locale.ROOT),
          shown && !external ? r.name() : null, shown && external ? r.namespace() : null,
          shown && external ? r.name() : null, shown ? r.column() : null, r.depth(), !shown, deleted,
          shown ? r.securableId() : null));
    }
    walked.forEach((e, depthAndTime) -> {
      String from = answer.idOf(e.from(), e.fromColumn());
      String to = answer.idOf(e.to(), e.toColumn());
      if (from != null && to != null) {
        answer.edges.add(new GraphEdge(from, to, depthAndTime[1]));
      }
    });
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
