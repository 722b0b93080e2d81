package dev.gatehouse.lineage;

import dev.gatehouse.api.LineageTrackingApi;
import dev.gatehouse.api.model.ColumnLineageResponse;
import dev.gatehouse.api.model.LineageColumnInfo;
import dev.gatehouse.api.model.LineageEntityInfo;
import dev.gatehouse.api.model.LineageFileInfo;
import dev.gatehouse.api.model.LineageSecurableInfo;
import dev.gatehouse.api.model.LineageTableInfo;
import dev.gatehouse.api.model.LineageTrackingEntry;
import dev.gatehouse.api.model.TableLineageResponse;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.lineage.LineageGraphService.GraphNode;
import dev.gatehouse.lineage.LineageGraphService.Hop;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Databricks' one-hop lineage API ({@code /api/2.0/lineage-tracking}), in its response shapes, over
 * the same graph and masking as the graph API. Masked neighbours keep their kind and
 * {@code has_permission: false}, and lose their names.
 */
public class LineageTrackingResource implements LineageTrackingApi {
  /** Databricks writes lineage_timestamp as "2022-10-10 11:20:00.0", in UTC. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.S").withZone(ZoneOffset.UTC);
  /** Producer records read for include_entity_lineage: the latest per producer are kept. */
  private static final int MAX_RUNS = 10_000;

  private final LineageGraphService graphs;

  public LineageTrackingResource(LineageGraphService graphs) {
    this.graphs = graphs;
  }

  @Override
  public Response getTableLineage(String tableName, Boolean includeEntityLineage) {
    var hops = graphs.tableNeighbours(Callers.current(), tableName, null);
    Map<String, String> tableTypes = graphs.tableTypes(securableIds(hops));
    Map<String, LineageTrackingEntry> entities = Boolean.TRUE.equals(includeEntityLineage) && hops.nodeId() > 0
        ? producers(hops) : Map.of();
    return Response.ok(new TableLineageResponse()
        .upstreams(hops.upstreams().stream().map(h -> entry(h, tableTypes, entities.get(key(h.node(), true)))).toList())
        .downstreams(hops.downstreams().stream()
            .map(h -> entry(h, tableTypes, entities.get(key(h.node(), false)))).toList())).build();
  }

  @Override
  public Response getColumnLineage(String tableName, String columnName) {
    var hops = graphs.tableNeighbours(Callers.current(), tableName, columnName);
    return Response.ok(new ColumnLineageResponse()
        .upstreamCols(hops.upstreams().stream().map(LineageTrackingResource::column).toList())
        .downstreamCols(hops.downstreams().stream().map(LineageTrackingResource::column).toList())).build();
  }

  private static LineageTrackingEntry entry(Hop hop, Map<String, String> tableTypes, LineageTrackingEntry producers) {
    GraphNode n = hop.node();
    String time = TIMESTAMP.format(Instant.ofEpochMilli(hop.eventTime()));
    LineageTrackingEntry entry = producers == null ? new LineageTrackingEntry() : producers;
    switch (n.type()) {
      case "table" -> {
        LineageTableInfo info = new LineageTableInfo().lineageTimestamp(time).hasPermission(!n.masked())
            .deleted(n.deleted() ? Boolean.TRUE : null);
        if (!n.masked()) {
          String[] parts = n.fullName().split("\\.");
          info.catalogName(parts[0]).schemaName(parts[1]).name(parts[2]).tableType(tableTypes.get(n.securableId()));
        }
        entry.tableInfo(info);
      }
      case "external" -> entry.fileInfo(new LineageFileInfo().lineageTimestamp(time).hasPermission(!n.masked())
          .path(n.masked() ? null : path(n.namespace(), n.name())).namespace(n.namespace()).name(n.name()));
      default -> entry.securableInfo(new LineageSecurableInfo().securableType(n.type()).fullName(n.fullName())
          .lineageTimestamp(time).hasPermission(!n.masked()).deleted(n.deleted() ? Boolean.TRUE : null));
    }
    return entry;
  }

  private static LineageColumnInfo column(Hop hop) {
    GraphNode n = hop.node();
    LineageColumnInfo info = new LineageColumnInfo().hasPermission(!n.masked())
        .lineageTimestamp(TIMESTAMP.format(Instant.ofEpochMilli(hop.eventTime())));
    if (n.masked()) {
      return info;
    }
    info.name(n.column());
    if (n.type().equals("external")) {
      return info.path(path(n.namespace(), n.name()));
    }
    String[] parts = n.fullName().split("\\.");
    return info.catalogName(parts[0]).schemaName(parts[1]).tableName(parts[2]);
  }

  /**
   * The jobs, notebooks, pipelines and queries behind each shown link, latest run per producer,
   * keyed like {@link #key}. Links to masked neighbours get none: their producers would name them.
   */
  private Map<String, LineageTrackingEntry> producers(LineageGraphService.Neighbours hops) {
    Map<Long, Boolean> shownUp = new HashMap<>();
    Map<Long, Boolean> shownDown = new HashMap<>();
    hops.upstreams().forEach(h -> shownUp.put(h.node().nodeId(), !h.node().masked()));
    hops.downstreams().forEach(h -> shownDown.put(h.node().nodeId(), !h.node().masked()));
    Map<String, LineageTrackingEntry> result = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (LineageDao.EdgeRun run : graphs.runsAround(hops.nodeId(), MAX_RUNS)) {
      boolean upstream = run.toNode() == hops.nodeId();
      long other = upstream ? run.fromNode() : run.toNode();
      if (!Boolean.TRUE.equals((upstream ? shownUp : shownDown).get(other))
          || !seen.add(other + "/" + upstream + "/" + run.producerType() + "/" + run.producerId())) {
        continue;
      }
      LineageTrackingEntry entry = result.computeIfAbsent(other + "/" + upstream, k -> new LineageTrackingEntry());
      String time = TIMESTAMP.format(Instant.ofEpochMilli(run.eventTime()));
      String runId = run.runId().isEmpty() ? null : run.runId();
      switch (run.producerType()) {
        case "NOTEBOOK" -> entry.addNotebookInfosItem(new LineageEntityInfo().notebookId(run.producerId())
            .lineageTimestamp(time));
        case "PIPELINE" -> entry.addPipelineInfosItem(new LineageEntityInfo().pipelineId(run.producerId())
            .pipelineUpdateId(runId).lineageTimestamp(time));
        case "QUERY" -> entry.addQueryInfosItem(new LineageEntityInfo().queryId(run.producerId()).lineageTimestamp(time));
        default -> entry.addJobInfosItem(new LineageEntityInfo().jobId(run.producerId()).jobRunId(runId)
            .lineageTimestamp(time));
      }
    }
    return result;
  }

  private static String key(GraphNode node, boolean upstream) {
    return node.nodeId() + "/" + upstream;
  }

  private static List<String> securableIds(LineageGraphService.Neighbours hops) {
    List<String> ids = new ArrayList<>();
    hops.upstreams().forEach(h -> ids.add(h.node().securableId()));
    hops.downstreams().forEach(h -> ids.add(h.node().securableId()));
    return ids.stream().filter(Objects::nonNull).distinct().toList();
  }

  /** An external dataset as one path: namespace and name joined by a slash. */
  private static String path(String namespace, String name) {
    return name.startsWith("/") || namespace.endsWith("/") ? namespace + name : namespace + "/" + name;
  }
}
