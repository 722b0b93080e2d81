package dev.gatehouse.lineage;

import static dev.gatehouse.lineage.LineageFixture.byName;
import static dev.gatehouse.lineage.LineageFixture.columns;
import static dev.gatehouse.lineage.LineageFixture.edge;
import static dev.gatehouse.lineage.LineageFixture.external;
import static dev.gatehouse.lineage.LineageFixture.ref;
import static dev.gatehouse.lineage.LineageFixture.run;
import static dev.gatehouse.lineage.LineageFixture.tableEdge;
import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatehouse.client.model.LineageEdge;
import dev.gatehouse.client.model.LineageGraph;
import dev.gatehouse.client.model.LineageNode;
import dev.gatehouse.client.model.LineageRecordResult;
import dev.gatehouse.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The graph API over edges recorded through the edges API: walks, bounds, cycles, diamonds, columns, aliases. */
class LineageGraphApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  static LineageFixture fx;

  @BeforeAll
  static void catalog() {
    fx = new LineageFixture(server);
    fx.schema("lg", "s");
    fx.tables("lg", "s", List.of("id", "amount", "total"), "a", "b", "c", "d", "e", "f", "g", "h",
        "x", "y", "z", "d1", "d2", "d3", "d4", "train");
  }

  private static LineageGraph graph(String type, String name, String direction, Integer depth) throws Exception {
    return fx.lineage.getLineageGraph(type, name, direction, depth, null, null);
  }

  @Test
  void walksUpstreamAndDownstreamWithDepths() throws Exception {
    fx.record(tableEdge("lg.s.a", "lg.s.b"), tableEdge("lg.s.b", "lg.s.c"), tableEdge("lg.s.c", "lg.s.d"));

    LineageGraph up = graph("table", "lg.s.d", "upstream", null);
    assertThat(up.getNodes()).extracting(LineageNode::getFullName, LineageNode::getDepth, LineageNode::getType)
        .containsExactly(tuple("lg.s.d", 0, "table"), tuple("lg.s.c", 1, "table"), tuple("lg.s.b", 2, "table"),
            tuple("lg.s.a", 3, "table"));
    assertThat(up.getStart()).isEqualTo(byName(up).get("lg.s.d").getId());
    assertThat(up.getEdges()).hasSize(3);
    assertThat(up.getTruncated()).isFalse();
    assertThat(up.getDepth()).isEqualTo(LineageGraphService.DEFAULT_DEPTH);

    LineageGraph down = graph("table", "lg.s.a", "downstream", 2);
    assertThat(down.getNodes()).extracting(LineageNode::getFullName).containsExactly("lg.s.a", "lg.s.b", "lg.s.c");
    assertThat(down.getEdges()).extracting(LineageEdge::getSource, LineageEdge::getTarget).containsExactlyInAnyOrder(
        tuple(id(down, "lg.s.a"), id(down, "lg.s.b")), tuple(id(down, "lg.s.b"), id(down, "lg.s.c")));

    LineageGraph both = graph("table", "lg.s.b", null, 1);
    assertThat(both.getDirection()).isEqualTo("both");
    assertThat(byName(both).keySet()).containsExactlyInAnyOrder("lg.s.a", "lg.s.b", "lg.s.c");
  }

  @Test
  void diamondIsCountedOnce() throws Exception {
    fx.record(tableEdge("lg.s.d1", "lg.s.d2"), tableEdge("lg.s.d1", "lg.s.d3"), tableEdge("lg.s.d2", "lg.s.d4"),
        tableEdge("lg.s.d3", "lg.s.d4"));
    LineageGraph up = graph("table", "lg.s.d4", "upstream", 10);
    assertThat(up.getNodes()).extracting(LineageNode::getFullName)
        .containsExactlyInAnyOrder("lg.s.d4", "lg.s.d2", "lg.s.d3", "lg.s.d1")
        .startsWith("lg.s.d4").endsWith("lg.s.d1");
    assertThat(byName(up).get("lg.s.d1").getDepth()).isEqualTo(2);
    assertThat(up.getEdges()).hasSize(4);
  }

  /**
   * 25 layers of two tables, each reading both tables of the layer before: 2^25 paths lead from the
   * top to the bottom. A walk that expanded every path instead of every node would not end.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void stackedDiamondsCostTheirNodesNotTheirPaths() throws Exception {
    fx.schema("ls", "s");
    List<String> names = new java.util.ArrayList<>();
    for (int layer = 0; layer < 25; layer++) {
      names.add("a" + layer);
      names.add("b" + layer);
    }
    fx.tables("ls", "s", List.of("id"), names.toArray(String[]::new));
    List<dev.gatehouse.client.model.LineageEdgeInput> edges = new java.util.ArrayList<>();
    for (int layer = 1; layer < 25; layer++) {
      for (String from : new String[] {"a", "b"}) {
        for (String to : new String[] {"a", "b"}) {
          edges.add(tableEdge("ls.s." + from + (layer - 1), "ls.s." + to + layer));
        }
      }
    }
    fx.record(edges.toArray(dev.gatehouse.client.model.LineageEdgeInput[]::new));
    LineageGraph up = graph("table", "ls.s.a24", "upstream", LineageGraphService.MAX_DEPTH);
    assertThat(up.getNodes()).hasSize(49);
    assertThat(up.getEdges()).hasSize(94);
    assertThat(byName(up).get("ls.s.b0").getDepth()).isEqualTo(24);
  }

  @Test
  void cycleEndsAndEveryNodeAppearsOnce() throws Exception {
    fx.record(tableEdge("lg.s.x", "lg.s.y"), tableEdge("lg.s.y", "lg.s.z"), tableEdge("lg.s.z", "lg.s.x"));
    LineageGraph graph = graph("table", "lg.s.x", "both", LineageGraphService.MAX_DEPTH);
    assertThat(graph.getNodes()).extracting(LineageNode::getFullName).containsExactlyInAnyOrder("lg.s.x", "lg.s.y", "lg.s.z");
    assertThat(byName(graph).get("lg.s.y").getDepth()).isEqualTo(1);
    assertThat(byName(graph).get("lg.s.z").getDepth()).isEqualTo(1);
    assertThat(graph.getEdges()).hasSize(3);
  }

  @Test
  void depthIsBoundedAndNodesCapped() throws Exception {
    fx.record(tableEdge("lg.s.e", "lg.s.f"), tableEdge("lg.s.f", "lg.s.g"), tableEdge("lg.s.g", "lg.s.h"));
    assertThat(graph("table", "lg.s.h", "upstream", 1).getNodes()).extracting(LineageNode::getFullName)
        .containsExactly("lg.s.h", "lg.s.g");
    LineageGraph capped = fx.lineage.getLineageGraph("table", "lg.s.h", "upstream", 5, null, 2);
    assertThat(capped.getTruncated()).isTrue();
    assertThat(capped.getNodes()).extracting(LineageNode::getFullName).containsExactly("lg.s.h", "lg.s.g");
    assertThat(capped.getEdges()).hasSize(1);

    for (Integer bad : new Integer[] {0, -1, LineageGraphService.MAX_DEPTH + 1}) {
      assertApiError(() -> graph("table", "lg.s.h", "upstream", bad), 400, "INVALID_ARGUMENT");
    }
    assertApiError(() -> fx.lineage.getLineageGraph("table", "lg.s.h", null, null, null, 0), 400, "INVALID_ARGUMENT");
    assertApiError(() -> graph("table", "lg.s.h", "sideways", 2), 400, "INVALID_ARGUMENT");
    assertApiError(() -> graph("catalog", "lg", null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> graph("table", "lg.s", null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> graph("table", "lg.s.missing", null, null), 404, "NOT_FOUND");
  }

  @Test
  void securableWithoutLineageIsItsOwnGraph() throws Exception {
    LineageGraph graph = graph("table", "lg.s.train", null, null);
    assertThat(graph.getNodes()).singleElement().satisfies(n -> {
      assertThat(n.getFullName()).isEqualTo("lg.s.train");
      assertThat(n.getId()).isEqualTo(graph.getStart());
    });
    assertThat(graph.getEdges()).isEmpty();
  }

  @Test
  void columnGraphFollowsColumnMappings() throws Exception {
    fx.schema("lc", "s");
    fx.tables("lc", "s", List.of("id", "amount", "total", "fee"), "src", "mid", "out");
    fx.record(columns(columns(tableEdge("lc.s.src", "lc.s.mid"), "total", "amount", "fee"), "id", "id"),
        columns(tableEdge("lc.s.mid", "lc.s.out"), "total", "TOTAL"));

    LineageGraph up = fx.lineage.getLineageGraph("table", "lc.s.out", "upstream", 5, "Total", null);
    assertThat(up.getNodes()).extracting(LineageNode::getFullName, LineageNode::getColumnName, LineageNode::getDepth)
        .containsExactly(tuple("lc.s.out", "total", 0), tuple("lc.s.mid", "total", 1), tuple("lc.s.src", "amount", 2),
            tuple("lc.s.src", "fee", 2));
    assertThat(up.getEdges()).hasSize(3);
    assertThat(up.getNodes()).extracting(LineageNode::getId).doesNotHaveDuplicates();

    LineageGraph down = fx.lineage.getLineageGraph("table", "lc.s.src", "downstream", 5, "id", null);
    assertThat(down.getNodes()).extracting(LineageNode::getFullName, LineageNode::getColumnName)
        .containsExactly(tuple("lc.s.src", "id"), tuple("lc.s.mid", "id"));
  }

  @Test
  void recordingTheSameRunTwiceChangesNothing() throws Exception {
    fx.schema("li", "s");
    fx.tables("li", "s", List.of("id"), "p", "q");
    var edge = columns(run(tableEdge("li.s.p", "li.s.q"), "nightly", "run-1"), "id", "id");
    LineageRecordResult first = fx.record(edge);
    assertThat(first.getEdgesCreated()).isEqualTo(1);
    assertThat(first.getRunsRecorded()).isEqualTo(1);
    assertThat(first.getColumnEdgesCreated()).isEqualTo(1);
    LineageRecordResult again = fx.record(edge);
    assertThat(again.getEdgesCreated()).isZero();
    assertThat(again.getRunsRecorded()).isZero();
    assertThat(again.getColumnEdgesCreated()).isZero();
    LineageRecordResult nextRun = fx.record(run(tableEdge("li.s.p", "li.s.q"), "nightly", "run-2"));
    assertThat(nextRun.getEdgesCreated()).isZero();
    assertThat(nextRun.getRunsRecorded()).isEqualTo(1);
    assertThat(fx.count("SELECT count(*) FROM lineage_edges e JOIN lineage_nodes n ON n.id = e.to_node"
        + " JOIN securables s ON s.id = n.securable_id WHERE s.full_name = 'li.s.q'")).isEqualTo(1);
  }

  @Test
  void modelLineageStartsFromAnAlias() throws Exception {
    fx.schema("lm", "ml");
    fx.tables("lm", "ml", List.of("id"), "features", "labels");
    fx.model("lm", "ml", "clf", 2);
    fx.admin("PUT", "/api/2.1/unity-catalog/models/lm.ml.clf/aliases/champion", "{\"version_num\":2}");
    fx.record(edge(ref("table", "lm.ml.features"), ref("model_version", "lm.ml.clf.1")),
        edge(ref("model_version", "lm.ml.clf.1"), ref("model_version", "lm.ml.clf@champion")),
        edge(external("s3://datasets", "labels/v3.parquet"), ref("model_version", "lm.ml.clf.2")));

    for (String type : new String[] {"registered_model", "model_version"}) {
      LineageGraph graph = graph(type, "lm.ml.clf@champion", "upstream", 5);
      Map<String, LineageNode> nodes = byName(graph);
      assertThat(nodes.keySet()).containsExactlyInAnyOrder("lm.ml.clf.2", "lm.ml.clf.1", "lm.ml.features",
          "s3://datasets/labels/v3.parquet");
      assertThat(nodes.get("lm.ml.clf.2").getDepth()).isZero();
      assertThat(nodes.get("lm.ml.clf.2").getType()).isEqualTo("model_version");
      assertThat(nodes.get("s3://datasets/labels/v3.parquet").getType()).isEqualTo("external");
      assertThat(nodes.get("lm.ml.features").getDepth()).isEqualTo(2);
    }
    assertApiError(() -> graph("registered_model", "lm.ml.clf", null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> graph("registered_model", "lm.ml.clf@nope", null, null), 404, "NOT_FOUND");
  }

  @Test
  void droppedSecurableKeepsItsLineageMarkedDeleted() throws Exception {
    fx.schema("ld", "s");
    fx.tables("ld", "s", List.of("id"), "raw", "clean", "report");
    fx.record(tableEdge("ld.s.raw", "ld.s.clean"), tableEdge("ld.s.clean", "ld.s.report"));
    fx.admin("DELETE", "/api/2.1/unity-catalog/tables/ld.s.clean", null);

    LineageGraph up = graph("table", "ld.s.report", "upstream", 5);
    assertThat(up.getNodes()).extracting(LineageNode::getFullName, LineageNode::getDeleted)
        .containsExactly(tuple("ld.s.report", false), tuple("ld.s.clean", true), tuple("ld.s.raw", false));

    // a table of the same name made again is a new node with no lineage of its own
    fx.tables("ld", "s", List.of("id"), "clean");
    assertThat(graph("table", "ld.s.clean", null, null).getNodes()).hasSize(1);
    // a whole catalog dropped keeps its nodes too
    fx.admin("DELETE", "/api/2.1/unity-catalog/catalogs/ld?force=true", null);
    fx.schema("ld2", "s");
    fx.tables("ld2", "s", List.of("id"), "t");
    assertThat(fx.count("SELECT count(*) FROM lineage_nodes WHERE name LIKE 'ld.s.%' AND securable_id IS NULL"))
        .isEqualTo(3);
  }

  @Test
  void badEdgesAreRefusedWithTheirReason() throws Exception {
    fx.schema("lb", "s");
    fx.tables("lb", "s", List.of("id"), "t1", "t2");
    fx.model("lb", "s", "m", 1);
    fx.admin("POST", "/api/2.1/unity-catalog/functions", """
        {"function_info":{"name":"fn","catalog_name":"lb","schema_name":"s","data_type":"INT","full_data_type":"INT",
         "routine_body":"SQL","routine_definition":"1","parameter_style":"S","is_deterministic":true,
         "sql_data_access":"CONTAINS_SQL","is_null_call":false,"security_type":"DEFINER","specific_name":"fn",
         "input_params":{"parameters":[]}}}""");
    assertThat(fx.record(edge(ref("function", "lb.s.fn"), ref("table", "lb.s.t1"))).getEdgesCreated()).isEqualTo(1);

    assertApiError(() -> fx.record(edge(ref("function", "lb.s.fn"), ref("model_version", "lb.s.m.1"))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> fx.record(edge(ref("model_version", "lb.s.m.1"), ref("table", "lb.s.t1"))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> fx.record(tableEdge("lb.s.t1", "lb.s.t1")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> fx.record(edge(ref("catalog", "lb"), ref("table", "lb.s.t1"))), 400, "INVALID_ARGUMENT");
    assertApiError(() -> fx.record(edge(external("s3://b", null), ref("table", "lb.s.t1"))), 400, "INVALID_ARGUMENT");
    assertApiError(() -> fx.record(columns(tableEdge("lb.s.t1", "lb.s.t2"), "x".repeat(256), "id")), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> fx.record(tableEdge("lb.s.t1", "lb.s.t2")
        .producer(new dev.gatehouse.client.model.LineageProducer().type("ROBOT").id("r"))), 400, "INVALID_ARGUMENT");
    assertApiError(() -> fx.record(tableEdge("lb.s.t1", "lb.s.nope")), 404, "NOT_FOUND");
    assertApiError(() -> fx.record(), 400, "INVALID_ARGUMENT");
    // nothing of a refused batch is kept, even its valid edges
    assertApiError(() -> fx.record(tableEdge("lb.s.t2", "lb.s.t1"), tableEdge("lb.s.t1", "lb.s.nope")), 404,
        "NOT_FOUND");
    assertThat(graph("table", "lb.s.t2", null, null).getNodes()).hasSize(1);
    var raw = server.call("POST", "/api/1.0/gatehouse/lineage/edges", "{\"edges\":[{\"source\":{}}]}",
        TestServer.ADMIN_KEY);
    dev.gatehouse.testing.ApiAssertions.assertRawError(raw, 400, "INVALID_ARGUMENT");
  }

  private static String id(LineageGraph graph, String fullName) {
    return byName(graph).get(fullName).getId();
  }
}
