package dev.gatehouse.lineage;

import static dev.gatehouse.lineage.LineageFixture.byName;
import static dev.gatehouse.lineage.LineageFixture.json;
import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static dev.gatehouse.testing.ApiAssertions.assertRawError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.api.LineageTrackingApi;
import dev.gatehouse.client.model.ColumnLineageResponse;
import dev.gatehouse.client.model.LineageColumnInfo;
import dev.gatehouse.client.model.LineageGraph;
import dev.gatehouse.client.model.LineageNode;
import dev.gatehouse.client.model.LineageTrackingEntry;
import dev.gatehouse.client.model.TableLineageResponse;
import dev.gatehouse.testing.TestServer;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenLineage ingestion of the fixtures in src/test/resources/openlineage, and the Databricks-compatible
 * one-hop API over what they recorded.
 */
class LineageOpenLineageApiTest {
  static final String PATH = "/api/1.0/gatehouse/openlineage";

  @RegisterExtension
  static final TestServer server = new TestServer();
  static LineageFixture fx;
  static LineageTrackingApi tracking;

  @BeforeAll
  static void catalog() throws Exception {
    fx = new LineageFixture(server);
    tracking = new LineageTrackingApi(server.admin());
    fx.schema("ol", "sales");
    fx.tables("ol", "sales", List.of("id", "customer_id", "amount", "created_at"), "orders");
    fx.tables("ol", "sales", List.of("id", "region"), "customers");
    fx.tables("ol", "sales", List.of("revenue", "order_day", "region"), "daily_revenue", "refunds");
    fx.admin("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"ml\",\"catalog_name\":\"ol\"}");
    fx.model("ol", "ml", "forecaster", 1);
    for (String event : List.of("spark-start", "spark-complete", "airflow-complete", "training-complete")) {
      ingest(event, TestServer.ADMIN_KEY);
    }
  }

  static String fixture(String name) throws Exception {
    try (InputStream in = LineageOpenLineageApiTest.class.getResourceAsStream("/openlineage/" + name + ".json")) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static JsonNode ingest(String fixture, String key) throws Exception {
    HttpResponse<String> response = server.call("POST", PATH, fixture(fixture), key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body());
  }

  @Test
  void completeEventsBecomeEdgesWithColumnsAndOthersChangeNothing() throws Exception {
    LineageGraph up = fx.lineage.getLineageGraph("table", "ol.sales.daily_revenue", "upstream", 1, null, null);
    assertThat(byName(up).keySet()).containsExactlyInAnyOrder("ol.sales.daily_revenue", "ol.sales.orders",
        "ol.sales.customers", "s3://acme-landing/raw/fx_rates.csv");
    assertThat(up.getEdges()).hasSize(3);

    LineageGraph revenue = fx.lineage.getLineageGraph("table", "ol.sales.daily_revenue", "upstream", 5, "revenue", null);
    assertThat(revenue.getNodes()).extracting(n -> n.getFullName() != null ? n.getFullName() : n.getName(),
        LineageNode::getColumnName).containsExactlyInAnyOrder(tuple("ol.sales.daily_revenue", "revenue"),
        tuple("ol.sales.orders", "amount"), tuple("raw/fx_rates.csv", "rate"));
    LineageGraph region = fx.lineage.getLineageGraph("table", "ol.sales.daily_revenue", "upstream", 5, "region", null);
    assertThat(region.getNodes()).extracting(LineageNode::getFullName, LineageNode::getColumnName)
        .contains(tuple("ol.sales.customers", "region"));

    // the FAIL of another run and the START of the recorded one added nothing
    JsonNode failed = ingest("spark-fail", TestServer.ADMIN_KEY);
    assertThat(failed.get("ignored").asBoolean()).isTrue();
    assertThat(failed.get("edges_created").asInt()).isZero();
    assertThat(fx.count("SELECT count(*) FROM lineage_nodes n JOIN securables s ON s.id = n.securable_id"
        + " WHERE s.full_name = 'ol.sales.refunds'")).isZero();
  }

  @Test
  void theSameRunIngestedAgainChangesNothing() throws Exception {
    int runs = fx.count("SELECT count(*) FROM lineage_edge_runs");
    int columns = fx.count("SELECT count(*) FROM lineage_column_edges");
    JsonNode again = ingest("spark-complete", TestServer.ADMIN_KEY);
    assertThat(again.get("edges_created").asInt()).isZero();
    assertThat(again.get("runs_recorded").asInt()).isZero();
    assertThat(again.get("column_edges_created").asInt()).isZero();
    assertThat(again.has("ignored")).isFalse();
    assertThat(fx.count("SELECT count(*) FROM lineage_edge_runs")).isEqualTo(runs);
    assertThat(fx.count("SELECT count(*) FROM lineage_column_edges")).isEqualTo(columns);
  }

  @Test
  void aTrainingRunLinksDataToTheModelVersionAndUnmappedOutputsAreExternal() throws Exception {
    LineageGraph down = fx.lineage.getLineageGraph("table", "ol.sales.daily_revenue", "downstream", 1, null, null);
    var nodes = byName(down);
    assertThat(nodes.keySet()).containsExactlyInAnyOrder("ol.sales.daily_revenue", "ol.ml.forecaster.1",
        "postgres://reporting:5432/reporting.public.revenue_report");
    assertThat(nodes.get("ol.ml.forecaster.1").getType()).isEqualTo("model_version");
    assertThat(nodes.get("postgres://reporting:5432/reporting.public.revenue_report").getType()).isEqualTo("external");
  }

  @Test
  void databricksTableLineageIsOneHopInItsShape() throws Exception {
    TableLineageResponse lineage = tracking.getTableLineage("ol.sales.daily_revenue", true);
    assertThat(lineage.getUpstreams()).extracting(e -> e.getTableInfo() == null ? null : e.getTableInfo().getName())
        .containsExactlyInAnyOrder("orders", "customers", null);
    LineageTrackingEntry orders = lineage.getUpstreams().stream()
        .filter(e -> e.getTableInfo() != null && "orders".equals(e.getTableInfo().getName())).findFirst().orElseThrow();
    assertThat(orders.getTableInfo().getCatalogName()).isEqualTo("ol");
    assertThat(orders.getTableInfo().getSchemaName()).isEqualTo("sales");
    assertThat(orders.getTableInfo().getTableType()).isEqualTo("MANAGED");
    assertThat(orders.getTableInfo().getLineageTimestamp()).isEqualTo("2026-11-20 02:14:07.4");
    assertThat(orders.getTableInfo().getHasPermission()).isTrue();
    assertThat(orders.getJobInfos()).singleElement().satisfies(j -> {
      assertThat(j.getJobId()).isEqualTo("spark-prod/orders_daily.execute_insert_into_hadoop_fs_relation_command");
      assertThat(j.getJobRunId()).isEqualTo("0190f6a2-6b1c-7c3e-9a55-3f1d2c4b5a60");
    });
    assertThat(lineage.getUpstreams()).filteredOn(e -> e.getFileInfo() != null).singleElement()
        .satisfies(e -> assertThat(e.getFileInfo().getPath()).isEqualTo("s3://acme-landing/raw/fx_rates.csv"));
    assertThat(lineage.getDownstreams()).hasSize(2);
    assertThat(lineage.getDownstreams()).filteredOn(e -> e.getSecurableInfo() != null).singleElement().satisfies(e -> {
      assertThat(e.getSecurableInfo().getSecurableType()).isEqualTo("model_version");
      assertThat(e.getSecurableInfo().getFullName()).isEqualTo("ol.ml.forecaster.1");
    });
    assertThat(lineage.getDownstreams()).filteredOn(e -> e.getFileInfo() != null).singleElement()
        .satisfies(e -> assertThat(e.getPipelineInfos()).extracting(i -> i.getPipelineId())
            .containsExactly("airflow-prod/revenue_reporting.export_to_postgres"));
    assertThat(tracking.getTableLineage("ol.sales.daily_revenue", null).getUpstreams())
        .allSatisfy(e -> assertThat(e.getJobInfos()).isNull());
    assertThat(tracking.getTableLineage("ol.sales.refunds", null).getUpstreams()).isEmpty();
    assertApiError(() -> tracking.getTableLineage("ol.sales.nope", null), 404, "NOT_FOUND");
    assertApiError(() -> tracking.getTableLineage("ol.sales", null), 400, "INVALID_ARGUMENT");
    assertRawError(server.call("GET", "/api/2.0/lineage-tracking/table-lineage", null, TestServer.ADMIN_KEY), 400,
        "INVALID_ARGUMENT");
  }

  @Test
  void databricksColumnLineage() throws Exception {
    ColumnLineageResponse revenue = tracking.getColumnLineage("ol.sales.daily_revenue", "REVENUE");
    assertThat(revenue.getUpstreamCols()).extracting(LineageColumnInfo::getTableName, LineageColumnInfo::getName,
        LineageColumnInfo::getPath).containsExactlyInAnyOrder(tuple("orders", "amount", null),
        tuple(null, "rate", "s3://acme-landing/raw/fx_rates.csv"));
    assertThat(revenue.getDownstreamCols()).extracting(LineageColumnInfo::getName, LineageColumnInfo::getPath)
        .containsExactly(tuple("revenue", "postgres://reporting:5432/reporting.public.revenue_report"));
    assertThat(tracking.getColumnLineage("ol.sales.orders", "amount").getDownstreamCols())
        .extracting(LineageColumnInfo::getCatalogName, LineageColumnInfo::getSchemaName,
            LineageColumnInfo::getTableName, LineageColumnInfo::getName)
        .containsExactly(tuple("ol", "sales", "daily_revenue", "revenue"));
  }

  @Test
  void badEventsAreRefusedAndIngestionNeedsModifyOnTheOutputs() throws Exception {
    String complete = fixture("spark-complete");
    assertRawError(server.call("POST", PATH, complete.replace("2026-11-20T02:14:07.431Z", "yesterday"),
        TestServer.ADMIN_KEY), 400, "INVALID_ARGUMENT");
    assertRawError(server.call("POST", PATH, complete.replace("\"COMPLETE\"", "\"DONE\""), TestServer.ADMIN_KEY),
        400, "INVALID_ARGUMENT");
    assertRawError(server.call("POST", PATH, "{\"eventTime\":\"2026-11-20T02:14:07Z\",\"job\":{\"namespace\":\"n\","
        + "\"name\":\"j\"}}", TestServer.ADMIN_KEY), 400, "INVALID_ARGUMENT");
    assertRawError(server.call("POST", PATH, "{\"eventType\":", TestServer.ADMIN_KEY), 400, "INVALID_ARGUMENT");

    String reader = server.userWithKey("ol_reader");
    fx.grant("catalog", "ol", "ol_reader", "USE_CATALOG", "USE_SCHEMA", "SELECT");
    assertRawError(server.call("POST", PATH, complete, reader), 403, "PERMISSION_DENIED");
    // a START asks nothing of the caller: it changes nothing
    assertThat(ingest("spark-start", reader).get("ignored").asBoolean()).isTrue();
    // one who sees nothing learns nothing: a hidden table as output is refused like a name that is no table
    String stranger = server.userWithKey("ol_stranger");
    HttpResponse<String> hidden = server.call("POST", PATH, complete, stranger);
    HttpResponse<String> missing = server.call("POST", PATH, complete.replace("ol.sales.daily_revenue", "ol.sales.nothing"),
        stranger);
    assertRawError(hidden, 403, "PERMISSION_DENIED");
    assertRawError(missing, 403, "PERMISSION_DENIED");
    assertThat(hidden.body()).isEqualTo(missing.body().replace("ol.sales.nothing", "ol.sales.daily_revenue"));
    fx.grant("table", "ol.sales.daily_revenue", "ol_reader", "MODIFY");
    assertThat(ingest("spark-complete", reader).get("runs_recorded").asInt()).isZero();
  }

  @Test
  void ingestionIsAuditedAsALineageAction() throws Exception {
    JsonNode events = json(fx.admin("GET", "/api/1.0/gatehouse/audit/events?action=ingestOpenLineageEvent", null));
    JsonNode first = events.get("events").get(0);
    assertThat(first.get("service").asText()).isEqualTo("lineage");
    assertThat(first.get("status_code").asInt()).isEqualTo(200);
  }
}
