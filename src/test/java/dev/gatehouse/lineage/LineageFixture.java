package dev.gatehouse.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.client.api.LineageApi;
import dev.gatehouse.client.model.LineageColumnMapping;
import dev.gatehouse.client.model.LineageEdgeInput;
import dev.gatehouse.client.model.LineageEntityRef;
import dev.gatehouse.client.model.LineageGraph;
import dev.gatehouse.client.model.LineageNode;
import dev.gatehouse.client.model.LineageProducer;
import dev.gatehouse.client.model.LineageRecordResult;
import dev.gatehouse.client.model.RecordLineageEdges;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Catalog objects made through the API as the admin, and short forms of lineage requests. */
final class LineageFixture {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestServer server;
  final LineageApi lineage;

  LineageFixture(TestServer server) {
    this.server = server;
    this.lineage = new LineageApi(server.admin());
  }

  String admin(String method, String path, String body) {
    HttpResponse<String> response = server.call(method, path, body, TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isLessThan(300);
    return response.body();
  }

  void schema(String catalog, String schema) {
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"" + catalog + "\"}");
    admin("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"" + schema + "\",\"catalog_name\":\"" + catalog + "\"}");
  }

  /** Tables catalog.schema.name with the given columns (all strings). */
  void tables(String catalog, String schema, List<String> columns, String... names) {
    String cols = java.util.stream.IntStream.range(0, columns.size()).mapToObj(i -> "{\"name\":\"" + columns.get(i)
        + "\",\"type_name\":\"STRING\",\"type_text\":\"string\",\"type_json\":\"{}\",\"position\":" + i + "}")
        .collect(Collectors.joining(","));
    for (String name : names) {
      admin("POST", "/api/2.1/unity-catalog/tables", "{\"name\":\"" + name + "\",\"catalog_name\":\"" + catalog
          + "\",\"schema_name\":\"" + schema + "\",\"table_type\":\"MANAGED\",\"data_source_format\":\"DELTA\","
          + "\"columns\":[" + cols + "]}");
    }
  }

  /** A registered model with {@code versions} ready versions. */
  void model(String catalog, String schema, String name, int versions) {
    admin("POST", "/api/2.1/unity-catalog/models", "{\"name\":\"" + name + "\",\"catalog_name\":\"" + catalog
        + "\",\"schema_name\":\"" + schema + "\"}");
    String full = catalog + "." + schema + "." + name;
    for (int v = 1; v <= versions; v++) {
      admin("POST", "/api/2.1/unity-catalog/models/versions", "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\""
          + schema + "\",\"model_name\":\"" + name + "\",\"source\":\"s3://artifacts/" + v + "\"}");
      admin("PATCH", "/api/2.1/unity-catalog/models/" + full + "/versions/" + v + "/finalize",
          "{\"full_name\":\"" + full + "\",\"version\":" + v + "}");
    }
  }

  /** A new user in the group auditors (BROWSE and AUDIT on the metastore); returns its key. */
  String auditor(String userName) throws Exception {
    String key = server.userWithKey(userName);
    String userId = JSON.readTree(admin("GET",
        "/api/1.0/unity-control/scim2/Users?filter=userName%20eq%20%22" + userName + "%22", null))
        .get("Resources").get(0).get("id").asText();
    String auditors = JSON.readTree(admin("GET",
        "/api/1.0/unity-control/scim2/Groups?filter=displayName%20eq%20%22auditors%22", null))
        .get("Resources").get(0).get("id").asText();
    admin("PATCH", "/api/1.0/unity-control/scim2/Groups/" + auditors,
        "{\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + userId + "\"}]}]}");
    return key;
  }

  void grant(String type, String fullName, String principal, String... privileges) {
    String list = java.util.Arrays.stream(privileges).map(p -> "\"" + p + "\"").collect(Collectors.joining(","));
    admin("PATCH", "/api/2.1/unity-catalog/permissions/" + type + "/" + fullName,
        "{\"changes\":[{\"principal\":\"" + principal + "\",\"add\":[" + list + "]}]}");
  }

  static LineageEntityRef table(String fullName) {
    return new LineageEntityRef().type("table").fullName(fullName);
  }

  static LineageEntityRef ref(String type, String fullName) {
    return new LineageEntityRef().type(type).fullName(fullName);
  }

  static LineageEntityRef external(String namespace, String name) {
    return new LineageEntityRef().type("external").namespace(namespace).name(name);
  }

  static LineageEdgeInput edge(LineageEntityRef source, LineageEntityRef target) {
    return new LineageEdgeInput().source(source).target(target);
  }

  static LineageEdgeInput tableEdge(String source, String target) {
    return edge(table(source), table(target));
  }

  static LineageEdgeInput columns(LineageEdgeInput edge, String target, String... sources) {
    return edge.addColumnsItem(new LineageColumnMapping().targetColumn(target).sourceColumns(List.of(sources)));
  }

  static LineageEdgeInput run(LineageEdgeInput edge, String job, String runId) {
    return edge.producer(new LineageProducer().type("JOB").id(job).runId(runId));
  }

  LineageRecordResult record(LineageEdgeInput... edges) throws Exception {
    return lineage.recordLineageEdges(new RecordLineageEdges().edges(List.of(edges)));
  }

  /** The graph's nodes by full name (external: namespace/name; masked ones left out). */
  static Map<String, LineageNode> byName(LineageGraph graph) {
    return graph.getNodes().stream().filter(n -> !n.getMasked())
        .collect(Collectors.toMap(n -> n.getFullName() != null ? n.getFullName() : n.getNamespace() + "/" + n.getName(),
            n -> n));
  }

  /** A count straight from the server's database. */
  int count(String sql) {
    return server.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }
}
