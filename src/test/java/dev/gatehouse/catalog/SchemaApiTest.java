package dev.gatehouse.catalog;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.SchemaInfo;
import dev.gatehouse.client.model.UpdateSchema;
import dev.gatehouse.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final SchemasApi schemas = new SchemasApi(server.admin());

  @BeforeAll
  static void catalogs() throws Exception {
    CatalogsApi catalogs = new CatalogsApi(server.admin());
    catalogs.createCatalog(new CreateCatalog().name("main"));
    catalogs.createCatalog(new CreateCatalog().name("other"));
  }

  @Test
  void createAndGet() throws Exception {
    long before = System.currentTimeMillis();
    SchemaInfo created = schemas.createSchema(new CreateSchema().catalogName("MAIN").name("Raw_Events")
        .comment("landing zone").properties(Map.of("retention", "30d")).storageRoot("s3://lake/raw"));
    assertThat(created.getName()).isEqualTo("raw_events");
    assertThat(created.getCatalogName()).isEqualTo("main");
    assertThat(created.getFullName()).isEqualTo("main.raw_events");
    assertThat(created.getComment()).isEqualTo("landing zone");
    assertThat(created.getProperties()).isEqualTo(Map.of("retention", "30d"));
    assertThat(created.getOwner()).isEqualTo("admin");
    assertThat(created.getCreatedBy()).isEqualTo("admin");
    assertThat(created.getCreatedAt()).isBetween(before, System.currentTimeMillis());
    assertThat(created.getSchemaId()).isNotBlank();
    assertThat(created.getStorageLocation())
        .isEqualTo("s3://lake/raw/__unitystorage/schemas/" + created.getSchemaId());

    assertThat(schemas.getSchema("Main.RAW_EVENTS")).isEqualTo(created);
    assertApiError(() -> schemas.createSchema(new CreateSchema().catalogName("main").name("raw_events")), 409,
        "ALREADY_EXISTS");
  }

  @Test
  void listsOnlyTheCatalogsSchemas() throws Exception {
    schemas.createSchema(new CreateSchema().catalogName("other").name("only_here"));
    assertThat(schemas.listSchemas("other", null, null).getSchemas()).extracting(SchemaInfo::getFullName)
        .containsExactly("other.only_here");
    assertThat(schemas.listSchemas("main", 1000, null).getSchemas()).extracting(SchemaInfo::getCatalogName)
        .containsOnly("main");
  }

  @Test
  void aMissingCatalogIs404() {
    assertApiError(() -> schemas.createSchema(new CreateSchema().catalogName("nowhere").name("s")), 404, "NOT_FOUND");
    assertApiError(() -> schemas.listSchemas("nowhere", null, null), 404, "NOT_FOUND");
    assertApiError(() -> schemas.getSchema("nowhere.s"), 404, "NOT_FOUND");
    assertApiError(() -> schemas.getSchema("main.nothing"), 404, "NOT_FOUND");
  }

  @Test
  void badNamesAre400() {
    assertApiError(() -> schemas.getSchema("main"), 400, "INVALID_ARGUMENT");
    assertApiError(() -> schemas.getSchema("main.a.b"), 400, "INVALID_ARGUMENT");
    assertApiError(() -> schemas.createSchema(new CreateSchema().catalogName("main").name("has-dash")), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> schemas.createSchema(new CreateSchema().name("no_catalog")), 400, "INVALID_ARGUMENT");
  }

  @Test
  void updateChangesOnlyWhatItNames() throws Exception {
    SchemaInfo created = schemas.createSchema(new CreateSchema().catalogName("main").name("upd")
        .comment("first").properties(Map.of("a", "1")));

    SchemaInfo commented = schemas.updateSchema("main.upd", new UpdateSchema().comment("second"));
    assertThat(commented.getComment()).isEqualTo("second");
    assertThat(commented.getProperties()).isEqualTo(Map.of("a", "1"));
    assertThat(commented.getUpdatedBy()).isEqualTo("admin");
    assertThat(commented.getUpdatedAt()).isGreaterThanOrEqualTo(created.getCreatedAt());

    SchemaInfo propertied = schemas.updateSchema("main.upd", new UpdateSchema().properties(Map.of("b", "2")));
    assertThat(propertied.getProperties()).isEqualTo(Map.of("b", "2"));
    assertThat(propertied.getComment()).isEqualTo("second");
    assertThat(schemas.getSchema("main.upd")).isEqualTo(propertied);
  }

  @Test
  void renameMovesTheSchemaWithinItsCatalog() throws Exception {
    SchemaInfo created = schemas.createSchema(new CreateSchema().catalogName("main").name("before_rename"));
    schemas.createSchema(new CreateSchema().catalogName("main").name("occupied"));

    SchemaInfo renamed = schemas.updateSchema("main.before_rename", new UpdateSchema().newName("After_Rename"));
    assertThat(renamed.getFullName()).isEqualTo("main.after_rename");
    assertThat(renamed.getSchemaId()).isEqualTo(created.getSchemaId());
    assertThat(schemas.getSchema("main.after_rename").getSchemaId()).isEqualTo(created.getSchemaId());
    assertApiError(() -> schemas.getSchema("main.before_rename"), 404, "NOT_FOUND");

    assertApiError(() -> schemas.updateSchema("main.after_rename", new UpdateSchema().newName("occupied")), 409,
        "ALREADY_EXISTS");
    assertApiError(() -> schemas.updateSchema("main.after_rename", new UpdateSchema().newName("bad.name")), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> schemas.updateSchema("main.missing", new UpdateSchema().comment("x")), 404, "NOT_FOUND");
  }

  @Test
  void theOwnerCanBeHandedToAnotherPrincipal() throws Exception {
    String key = server.userWithKey("schema.owner");
    schemas.createSchema(new CreateSchema().catalogName("main").name("handed"));
    SchemasApi asOwner = new SchemasApi(server.client(key));
    // not yet the owner, and granted nothing: the schema is invisible to it
    assertApiError(() -> asOwner.updateSchema("main.handed", new UpdateSchema().comment("mine?")), 404,
        "NOT_FOUND");

    SchemaInfo handed = schemas.updateSchema("main.handed", new UpdateSchema().owner("SCHEMA.OWNER"));
    assertThat(handed.getOwner()).isEqualTo("schema.owner");
    assertThat(asOwner.updateSchema("main.handed", new UpdateSchema().comment("mine")).getUpdatedBy())
        .isEqualTo("schema.owner");
    asOwner.deleteSchema("main.handed", null);
    assertApiError(() -> schemas.getSchema("main.handed"), 404, "NOT_FOUND");

    assertApiError(() -> schemas.updateSchema("main.upd_owner_missing", new UpdateSchema().owner("x")), 404,
        "NOT_FOUND");
    schemas.createSchema(new CreateSchema().catalogName("main").name("orphan"));
    assertApiError(() -> schemas.updateSchema("main.orphan", new UpdateSchema().owner("no.such.principal")), 400,
        "INVALID_ARGUMENT");
  }

  @Test
  void deleteRemovesTheSchema() throws Exception {
    schemas.createSchema(new CreateSchema().catalogName("main").name("doomed"));
    schemas.deleteSchema("main.doomed", null);
    assertApiError(() -> schemas.getSchema("main.doomed"), 404, "NOT_FOUND");
    assertApiError(() -> schemas.deleteSchema("main.doomed", null), 404, "NOT_FOUND");
  }

  @Test
  void aGranteeReadsButCannotCreateSchemasInAnothersCatalog() throws Exception {
    SchemasApi asUser = new SchemasApi(server.client(server.userWithKey("schema.reader")));
    schemas.createSchema(new CreateSchema().catalogName("main").name("visible"));
    server.call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/main",
        "{\"changes\":[{\"principal\":\"schema.reader\",\"add\":[\"USE_CATALOG\",\"USE_SCHEMA\"]}]}",
        TestServer.ADMIN_KEY);
    assertThat(asUser.getSchema("main.visible").getOwner()).isEqualTo("admin");
    assertThat(asUser.listSchemas("main", null, null).getSchemas()).extracting(SchemaInfo::getName).contains("visible");
    assertApiError(() -> asUser.createSchema(new CreateSchema().catalogName("main").name("mine")), 403,
        "PERMISSION_DENIED");
    assertApiError(() -> asUser.deleteSchema("main.visible", null), 403, "PERMISSION_DENIED");
  }
}
