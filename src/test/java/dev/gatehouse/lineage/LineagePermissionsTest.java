package dev.gatehouse.lineage;

import static dev.gatehouse.lineage.LineageFixture.edge;
import static dev.gatehouse.lineage.LineageFixture.external;
import static dev.gatehouse.lineage.LineageFixture.table;
import static dev.gatehouse.lineage.LineageFixture.tableEdge;
import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatehouse.client.api.LineageApi;
import dev.gatehouse.client.model.LineageGraph;
import dev.gatehouse.client.model.LineageNode;
import dev.gatehouse.client.model.RecordLineageEdges;
import dev.gatehouse.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Masking of what a caller may not see, what auditors see, and who may record an edge. */
class LineagePermissionsTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  static LineageFixture fx;
  static LineageApi alice;
  static LineageApi auditor;
  static LineageApi browser;

  @BeforeAll
  static void fixture() throws Exception {
    fx = new LineageFixture(server);
    fx.schema("lp", "s");
    fx.admin("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"h\",\"catalog_name\":\"lp\"}");
    fx.tables("lp", "s", List.of("id"), "mine", "target", "other", "gone", "sink");
    fx.tables("lp", "h", List.of("id"), "secret");
    alice = new LineageApi(server.client(server.userWithKey("alice")));
    auditor = new LineageApi(server.client(fx.auditor("audrey")));
    browser = new LineageApi(server.client(server.userWithKey("bob")));
    fx.grant("catalog", "lp", "alice", "USE_CATALOG");
    fx.grant("schema", "lp.s", "alice", "USE_SCHEMA");
    fx.grant("table", "lp.s.mine", "alice", "SELECT");
    fx.grant("table", "lp.s.target", "alice", "SELECT", "MODIFY");
    fx.grant("table", "lp.s.sink", "alice", "SELECT", "MODIFY");
    fx.grant("schema", "lp.h", "bob", "BROWSE");
    fx.grant("schema", "lp.s", "bob", "BROWSE");
    fx.record(tableEdge("lp.h.secret", "lp.s.mine"), edge(external("s3://landing", "orders.csv"), table("lp.s.mine")),
        tableEdge("lp.s.mine", "lp.s.target"), tableEdge("lp.s.other", "lp.s.target"),
        tableEdge("lp.s.gone", "lp.s.target"));
    fx.admin("DELETE", "/api/2.1/unity-catalog/tables/lp.s.gone", null);
  }

  private static LineageGraph upstreamOfTarget(LineageApi api) throws Exception {
    return api.getLineageGraph("table", "lp.s.target", "upstream", 5, null, null);
  }

  @Test
  void hiddenNodesKeepTheirPlaceButLoseTheirNames() throws Exception {
    LineageGraph graph = upstreamOfTarget(alice);
    assertThat(graph.getNodes()).extracting(LineageNode::getType, LineageNode::getMasked)
        .containsExactlyInAnyOrder(tuple("table", false), tuple("table", false), tuple("table", true),
            tuple("table", true), tuple("table", true), tuple("external", true));
    assertThat(graph.getNodes()).filteredOn(LineageNode::getMasked).allSatisfy(n -> {
      assertThat(n.getFullName()).isNull();
      assertThat(n.getName()).isNull();
      assertThat(n.getNamespace()).isNull();
      assertThat(n.getId()).isNotBlank();
    });
    assertThat(graph.getNodes()).filteredOn(n -> !n.getMasked()).extracting(LineageNode::getFullName)
        .containsExactlyInAnyOrder("lp.s.target", "lp.s.mine");
    assertThat(graph.getNodes()).filteredOn(LineageNode::getDeleted).singleElement()
        .satisfies(n -> assertThat(n.getMasked()).isTrue());
    assertThat(graph.getEdges()).hasSize(5);
    assertThat(graph.toString()).doesNotContain("secret").doesNotContain("other").doesNotContain("landing")
        .doesNotContain("gone");
  }

  @Test
  void auditorsSeeEveryName() throws Exception {
    LineageGraph graph = upstreamOfTarget(auditor);
    assertThat(graph.getNodes()).noneMatch(LineageNode::getMasked);
    assertThat(graph.getNodes()).extracting(n -> n.getFullName() != null ? n.getFullName() : n.getNamespace())
        .containsExactlyInAnyOrder("lp.s.target", "lp.s.mine", "lp.s.other", "lp.s.gone", "lp.h.secret",
            "s3://landing");
    assertThat(graph.getNodes()).filteredOn(LineageNode::getDeleted).extracting(LineageNode::getFullName)
        .containsExactly("lp.s.gone");
  }

  @Test
  void browseShowsNamesWithoutAnyOtherPrivilege() throws Exception {
    LineageGraph graph = browser.getLineageGraph("table", "lp.s.mine", "upstream", 5, null, null);
    assertThat(graph.getNodes()).filteredOn(n -> !n.getMasked()).extracting(LineageNode::getFullName)
        .containsExactlyInAnyOrder("lp.s.mine", "lp.h.secret");
    assertThat(graph.getNodes()).filteredOn(LineageNode::getMasked).extracting(LineageNode::getType)
        .containsExactly("external");
  }

  @Test
  void aStartTheCallerMayNotSeeIsNotFound() {
    assertApiError(() -> alice.getLineageGraph("table", "lp.h.secret", null, null, null, null), 404, "NOT_FOUND");
    assertApiError(() -> alice.getLineageGraph("table", "lp.s.other", null, null, null, null), 404, "NOT_FOUND");
  }

  @Test
  void recordingNeedsModifyOnTheTargetAndSightOfTheSource() throws Exception {
    assertThat(alice.recordLineageEdges(new RecordLineageEdges().edges(List.of(
        tableEdge("lp.s.mine", "lp.s.sink"), edge(external("s3://landing", "more.csv"), table("lp.s.sink")))))
        .getEdgesCreated()).isEqualTo(2);
    assertApiError(() -> alice.recordLineageEdges(new RecordLineageEdges().edges(List.of(
        tableEdge("lp.s.sink", "lp.s.mine")))), 403, "PERMISSION_DENIED");
    assertApiError(() -> alice.recordLineageEdges(new RecordLineageEdges().edges(List.of(
        tableEdge("lp.h.secret", "lp.s.sink")))), 404, "NOT_FOUND");
    assertApiError(() -> alice.recordLineageEdges(new RecordLineageEdges().edges(List.of(
        tableEdge("lp.s.mine", "lp.h.secret")))), 404, "NOT_FOUND");
    assertApiError(() -> alice.recordLineageEdges(new RecordLineageEdges().edges(List.of(
        edge(table("lp.s.mine"), external("s3://export", "mine.csv"))))), 403, "PERMISSION_DENIED");
    // MODIFY on the metastore (which also shows every table's name: it applies to all of them)
    LineageApi writer = new LineageApi(server.client(server.userWithKey("writer")));
    fx.grant("metastore", "metastore", "writer", "MODIFY", "USE_CATALOG", "USE_SCHEMA");
    assertThat(writer.recordLineageEdges(new RecordLineageEdges().edges(List.of(
        edge(table("lp.s.mine"), external("s3://export", "mine.csv"))))).getEdgesCreated()).isEqualTo(1);
  }
}
