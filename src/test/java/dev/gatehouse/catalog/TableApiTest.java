package dev.gatehouse.catalog;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.api.TablesApi;
import dev.gatehouse.client.model.ColumnInfo;
import dev.gatehouse.client.model.ColumnTypeName;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.CreateTable;
import dev.gatehouse.client.model.DataSourceFormat;
import dev.gatehouse.client.model.TableInfo;
import dev.gatehouse.client.model.TableType;
import dev.gatehouse.client.model.UpdateTable;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TableApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final TablesApi tables = new TablesApi(server.admin());

  @BeforeAll
  static void schema() throws Exception {
    new CatalogsApi(server.admin()).createCatalog(new CreateCatalog().name("tc").storageRoot("s3://bucket/root"));
    new SchemasApi(server.admin()).createSchema(new CreateSchema().catalogName("tc").name("s"));
  }

  static CreateTable external(String name) {
    return new CreateTable().catalogName("tc").schemaName("s").name(name).tableType(TableType.EXTERNAL)
        .dataSourceFormat(DataSourceFormat.DELTA).storageLocation("s3://bucket/ext/" + name)
        .columns(List.of(column("id", ColumnTypeName.LONG, "bigint"), column("label", ColumnTypeName.STRING, "string")));
  }

  static ColumnInfo column(String name, ColumnTypeName type, String text) {
    return new ColumnInfo().name(name).typeName(type).typeText(text)
        .typeJson("{\"name\":\"" + name + "\",\"type\":\"" + text + "\",\"nullable\":true,\"metadata\":{}}");
  }

  @Test
  void createGetUpdateDelete() throws Exception {
    TableInfo created = tables.createTable(external("Orders").comment("all orders").properties(Map.of("k", "v")));
    assertThat(created.getName()).isEqualTo("orders");
    assertThat(created.getFullName()).isEqualTo("tc.s.orders");
    assertThat(created.getCatalogName()).isEqualTo("tc");
    assertThat(created.getSchemaName()).isEqualTo("s");
    assertThat(created.getTableId()).isNotBlank();
    assertThat(created.getTableType()).isEqualTo(TableType.EXTERNAL);
    assertThat(created.getDataSourceFormat()).isEqualTo(DataSourceFormat.DELTA);
    assertThat(created.getStorageLocation()).isEqualTo("s3://bucket/ext/Orders");
    assertThat(created.getOwner()).isEqualTo("admin");
    assertThat(created.getCreatedBy()).isEqualTo("admin");
    assertThat(created.getCreatedAt()).isPositive();
    assertThat(created.getProperties()).containsEntry("k", "v");
    assertThat(created.getTags()).isEmpty();
    assertThat(created.getColumns()).extracting(ColumnInfo::getName, ColumnInfo::getPosition, ColumnInfo::getNullable)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("id", 0, true),
            org.assertj.core.groups.Tuple.tuple("label", 1, true));
    assertThat(created.getColumns().get(0).getTypeJson()).contains("bigint");

    assertThat(tables.getTable("TC.S.ORDERS", null, null)).isEqualTo(created);

    TableInfo updated = tables.updateTable("tc.s.orders",
        new UpdateTable().comment("orders of 2026").properties(Map.of("k2", "v2")));
    assertThat(updated.getComment()).isEqualTo("orders of 2026");
    assertThat(updated.getProperties()).isEqualTo(Map.of("k2", "v2"));
    assertThat(updated.getColumns()).isEqualTo(created.getColumns());
    assertThat(tables.updateTable("tc.s.orders", new UpdateTable().owner("admins")).getOwner()).isEqualTo("admins");
    assertApiError(() -> tables.updateTable("tc.s.orders", new UpdateTable().owner("nobody_at_all")), 400,
        "INVALID_ARGUMENT");

    tables.deleteTable("tc.s.orders");
    assertApiError(() -> tables.getTable("tc.s.orders", null, null), 404, "NOT_FOUND");
    assertApiError(() -> tables.deleteTable("tc.s.orders"), 404, "NOT_FOUND");
    assertApiError(() -> tables.updateTable("tc.s.orders", new UpdateTable().comment("x")), 404, "NOT_FOUND");
  }

  @Test
  void managedTablesGetALocationUnderTheStorageRoot() throws Exception {
    TableInfo managed = tables.createTable(external("managed").tableType(TableType.MANAGED).storageLocation(null));
    assertThat(managed.getStorageLocation()).startsWith("s3://bucket/root/__unitystorage/catalogs/")
        .endsWith("/tables/" + managed.getTableId());
    TableInfo staged = tables.createTable(external("staged").tableType(TableType.MANAGED)
        .storageLocation("s3://bucket/staging/x"));
    assertThat(staged.getStorageLocation()).isEqualTo("s3://bucket/staging/x");
    TableInfo view = tables.createTable(external("v").tableType(TableType.VIEW).storageLocation(null)
        .viewDefinition("SELECT id FROM tc.s.managed"));
    assertThat(view.getViewDefinition()).isEqualTo("SELECT id FROM tc.s.managed");
    assertThat(view.getStorageLocation()).isNull();
  }

  @Test
  void columnsAreOrderedByPosition() throws Exception {
    TableInfo t = tables.createTable(external("ordered").columns(List.of(
        column("b", ColumnTypeName.INT, "int").position(1).nullable(false).comment("second"),
        column("a", ColumnTypeName.DECIMAL, "decimal(10,2)").position(0).typePrecision(10).typeScale(2)
            .partitionIndex(0))));
    assertThat(t.getColumns()).extracting(ColumnInfo::getName).containsExactly("a", "b");
    assertThat(t.getColumns().get(0).getTypePrecision()).isEqualTo(10);
    assertThat(t.getColumns().get(0).getPartitionIndex()).isZero();
    assertThat(t.getColumns().get(1).getNullable()).isFalse();
    assertThat(t.getColumns().get(1).getComment()).isEqualTo("second");
  }

  @Test
  void errors() throws Exception {
    tables.createTable(external("dup"));
    assertApiError(() -> tables.createTable(external("DUP")), 409, "ALREADY_EXISTS");
    assertApiError(() -> tables.createTable(external("t").schemaName("missing")), 404, "NOT_FOUND");
    assertApiError(() -> tables.createTable(external("t").catalogName("missing")), 404, "NOT_FOUND");
    for (String bad : List.of("", "has space", "dot.ted", "x".repeat(256))) {
      assertApiError(() -> tables.createTable(external(bad)), 400, "INVALID_ARGUMENT");
    }
    assertApiError(() -> tables.createTable(external("t").storageLocation(null)), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.createTable(external("t").tableType(TableType.VIEW)), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.createTable(external("t").viewDefinition("SELECT 1")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.createTable(external("t").columns(List.of(
        column("a", ColumnTypeName.INT, "int"), column("A", ColumnTypeName.INT, "int")))), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.createTable(external("t").columns(List.of(
        column("a", ColumnTypeName.INT, "int").position(1), column("b", ColumnTypeName.INT, "int").position(1)))),
        400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.createTable(external("t").columns(List.of(column("", ColumnTypeName.INT, "int")))),
        400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.createTable(external("t").columns(List.of(column("a", null, "int")))),
        400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.createTable(external("t").columns(List.of(column("a\n", ColumnTypeName.INT, "int")))),
        400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.getTable("tc.s", null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.getTable("tc.s.no_such", null, null), 404, "NOT_FOUND");
    assertApiError(() -> tables.listTables("tc", "missing", null, null), 404, "NOT_FOUND");
    assertApiError(() -> tables.listTables("tc", "s", -1, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tables.listTables("tc", "s", 10, "%%%"), 400, "INVALID_ARGUMENT");
  }

  @Test
  void missingAndInvisibleTablesGetTheSameMessage() {
    var missing = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> tables.getTable("tc.s.ghost", null, null), dev.gatehouse.client.ApiException.class);
    assertThat(missing.getResponseBody()).contains("Table 'tc.s.ghost' does not exist.");
  }

  @Test
  void unknownEnumsAndMissingFieldsAreBadRequests() {
    String base = "{\"catalog_name\":\"tc\",\"schema_name\":\"s\",\"name\":\"raw\",\"storage_location\":\"s3://x\",";
    for (String body : List.of(
        base + "\"table_type\":\"SOMETHING\",\"columns\":[]}",
        base + "\"table_type\":\"EXTERNAL\",\"data_source_format\":\"XLS\",\"columns\":[]}",
        base + "\"table_type\":\"EXTERNAL\",\"columns\":[{\"name\":\"a\",\"type_text\":\"x\",\"type_name\":\"NOPE\"}]}",
        base + "\"table_type\":\"EXTERNAL\"}",
        "{\"catalog_name\":\"tc\",\"schema_name\":\"s\",\"table_type\":\"EXTERNAL\",\"columns\":[]}",
        base + "\"table_type\":\"EXTERNAL\",\"columns\":{}}")) {
      var response = server.send(server.adminRequest("/api/2.1/unity-catalog/tables")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body()).contains("INVALID_ARGUMENT");
    }
  }

  @Test
  void listingPagesThroughEveryTableInNameOrder() throws Exception {
    new SchemasApi(server.admin()).createSchema(new CreateSchema().catalogName("tc").name("many"));
    for (int i = 0; i < 25; i++) {
      tables.createTable(external(String.format("t%02d", i)).schemaName("many"));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      var page = tables.listTables("tc", "many", 10, token);
      page.getTables().forEach(t -> {
        assertThat(t.getColumns()).hasSize(2);
        seen.add(t.getName());
      });
      token = page.getNextPageToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();
    assertThat(tables.listTables("tc", "many", 0, null).getTables()).hasSize(25);
  }
}
