package dev.gatehouse.lineage;

import dev.gatehouse.api.LineageApi;
import dev.gatehouse.api.model.LineageEdge;
import dev.gatehouse.api.model.LineageGraph;
import dev.gatehouse.api.model.LineageNode;
import dev.gatehouse.api.model.LineageRecordResult;
import dev.gatehouse.api.model.RecordLineageEdges;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

public class LineageResource implements LineageApi {
  private final LineageRecorder recorder;
  private final LineageGraphService graphs;

  public LineageResource(LineageRecorder recorder, LineageGraphService graphs) {
    this.recorder = recorder;
    this.graphs = graphs;
  }

  @Override
  public Response recordLineageEdges(RecordLineageEdges request) {
    return Response.ok(result(recorder.record(Callers.current(), request))).build();
  }

  @Override
  public Response getLineageGraph(String securableType, String fullName, String direction, Integer depth,
      String columnName, Integer maxNodes) {
    var graph = graphs.graph(Callers.current(), securableType, fullName, direction, depth, columnName, maxNodes);
    return Response.ok(new LineageGraph()
        .start(graph.start())
        .direction(graph.direction().name().toLowerCase(Locale.ROOT))
        .depth(graph.depth())
        .truncated(graph.truncated())
        .nodes(graph.nodes().stream().map(LineageResource::node).toList())
        .edges(graph.edges().stream().map(e -> new LineageEdge().source(e.source()).target(e.target())
            .lastEventTime(e.eventTime())).toList())).build();
  }

  static LineageRecordResult result(LineageEdges.Result r) {
    return new LineageRecordResult()
        .edgesCreated(r.edgesCreated())
        .runsRecorded(r.runsRecorded())
        .columnEdgesCreated(r.columnEdgesCreated())
        .ignored(r.ignored() ? Boolean.TRUE : null);
  }

  private static LineageNode node(LineageGraphService.GraphNode n) {
    return new LineageNode()
        .id(n.id())
        .type(n.type())
        .fullName(n.fullName())
        .namespace(n.namespace())
        .name(n.name())
        .columnName(n.column())
        .depth(n.depth())
        .masked(n.masked())
        .deleted(n.deleted());
  }
}
