package dev.gatehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.FunctionsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.api.TablesApi;
import dev.gatehouse.client.api.TagsApi;
import dev.gatehouse.client.api.VolumesApi;
import dev.gatehouse.client.model.ColumnTypeName;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.UpdateTags;
import dev.gatehouse.testing.ReferenceSpec;
import dev.gatehouse.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Raw answers of the asset endpoints validate against the Unity Catalog reference schemas. */
class ReferenceCompatibilityTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  /** Our documented extensions: tags on every info, full_name on TableInfo. */
  static final Set<String> EXTENSIONS = Set.of("tags", "full_name");
  static ReferenceSpec spec;

  @BeforeAll
  static void seed() throws Exception {
    Assumptions.assumeTrue(ReferenceSpec.available(), "reference spec not beside the repository");
    spec = ReferenceSpec.load();
    new CatalogsApi(server.admin()).createCatalog(new CreateCatalog().name("rc").comment("c")
        .properties(Map.of("a", "b")).storageRoot("s3://r/"));
    new SchemasApi(server.admin()).createSchema(new CreateSchema().catalogName("rc").name("s"));
    new TablesApi(server.admin()).createTable(TableApiTest.external("t").catalogName("rc").comment("c")
        .properties(Map.of("a", "b")).columns(List.of(TableApiTest.column("d", ColumnTypeName.DECIMAL, "decimal(3,1)")
            .typePrecision(3).typeScale(1).partitionIndex(0).comment("c"))));
    new VolumesApi(server.admin()).createVolume(VolumeApiTest.external("v").catalogName("rc").comment("c"));
    var function = FunctionApiTest.sql("f");
    function.getFunctionInfo().catalogName("rc").comment("c").properties("{\"a\":\"b\"}");
    new FunctionsApi(server.admin()).createFunction(function);
    new TagsApi(server.admin()).updateTags("table", "rc.s.t", new UpdateTags().set(Map.of("k", "v")));
  }

  static JsonNode get(String path) throws Exception {
    var response = server.send(server.adminRequest(path).GET());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void answersValidate() throws Exception {
    Map<String, String> answers = Map.of(
        "/api/2.1/unity-catalog/tables/rc.s.t", "TableInfo",
        "/api/2.1/unity-catalog/tables?catalog_name=rc&schema_name=s&max_results=1", "ListTablesResponse",
        "/api/2.1/unity-catalog/volumes/rc.s.v", "VolumeInfo",
        "/api/2.1/unity-catalog/volumes?catalog_name=rc&schema_name=s", "ListVolumesResponseContent",
        "/api/2.1/unity-catalog/functions/rc.s.f", "FunctionInfo",
        "/api/2.1/unity-catalog/functions?catalog_name=rc&schema_name=s", "ListFunctionsResponse",
        "/api/2.1/unity-catalog/catalogs/rc", "CatalogInfo",
        "/api/2.1/unity-catalog/schemas/rc.s", "SchemaInfo");
    for (var e : answers.entrySet()) {
      JsonNode answer = get(e.getKey());
      assertThat(spec.problems(e.getValue(), answer, EXTENSIONS)).as(e.getKey() + " " + answer).isEmpty();
    }
  }

  @Test
  void theCheckerCatchesStrangers() {
    var bad = new ObjectMapper().createObjectNode().put("table_type", "SPREADSHEET").put("made_up", 1);
    assertThat(spec.problems("TableInfo", bad, EXTENSIONS)).hasSize(2);
  }
}
