package dev.gatehouse.catalog;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.ApiKeysApi;
import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.FunctionsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.api.TablesApi;
import dev.gatehouse.client.api.TagsApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.api.VolumesApi;
import dev.gatehouse.client.model.CreateApiKey;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.ScimUser;
import dev.gatehouse.client.model.SecurableTags;
import dev.gatehouse.client.model.UpdateTags;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import dev.gatehouse.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TagApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final TagsApi tags = new TagsApi(server.admin());

  @BeforeAll
  static void assets() throws Exception {
    new CatalogsApi(server.admin()).createCatalog(new CreateCatalog().name("gc"));
    new SchemasApi(server.admin()).createSchema(new CreateSchema().catalogName("gc").name("s"));
    new TablesApi(server.admin()).createTable(TableApiTest.external("t").catalogName("gc"));
    new VolumesApi(server.admin()).createVolume(VolumeApiTest.external("v").catalogName("gc"));
    var function = FunctionApiTest.sql("f");
    function.getFunctionInfo().catalogName("gc");
    new FunctionsApi(server.admin()).createFunction(function);
  }

  static Jdbi jdbi() {
    var db = server.database();
    return Jdbi.create(db.effectiveUrl(), db.getUser(), db.getPassword()).installPlugin(new SqlObjectPlugin());
  }

  /** Registered models and versions are made by another part of the service; here their rows suffice. */
  static void insertModel(String schemaFullName, String model) {
    jdbi().useHandle(h -> {
      SecurableDao dao = h.attach(SecurableDao.class);
      SecurableRow schema = dao.find(SecurableType.SCHEMA, schemaFullName).orElseThrow();
      String modelId = java.util.UUID.randomUUID().toString();
      dao.insert(new SecurableRow(modelId, SecurableType.REGISTERED_MODEL, schema.id(), model,
          schemaFullName + "." + model, "admin", "a model", null, null, null, 1L, "admin", 1L, "admin"));
      dao.insert(new SecurableRow(java.util.UUID.randomUUID().toString(), SecurableType.MODEL_VERSION, modelId, "1",
          schemaFullName + "." + model + ".1", "admin", null, null, null, null, 1L, "admin", 1L, "admin"));
    });
  }

  @Test
  void setAndUnsetOnEveryKindOfSecurable() throws Exception {
    insertModel("gc.s", "m");
    Map<String, String> names = Map.of("catalog", "gc", "schema", "gc.s", "table", "gc.s.t", "volume", "gc.s.v",
        "function", "gc.s.f", "registered_model", "gc.s.m", "model", "gc.s.m", "model_version", "gc.s.m.1");
    for (var e : names.entrySet()) {
      SecurableTags set = tags.updateTags(e.getKey(), e.getValue().toUpperCase(),
          new UpdateTags().set(Map.of("pii", "true", "owner_team", e.getKey())));
      assertThat(set.getFullName()).isEqualTo(e.getValue());
      assertThat(set.getSecurableType()).isEqualTo(e.getKey().equals("model") ? "registered_model" : e.getKey());
      assertThat(set.getTags()).containsEntry("pii", "true");
      SecurableTags after = tags.updateTags(e.getKey(), e.getValue(),
          new UpdateTags().set(Map.of("pii", "false")).unset(List.of("owner_team", "never_set")));
      assertThat(after.getTags()).isEqualTo(Map.of("pii", "false"));
      assertThat(tags.getTags(e.getKey(), e.getValue()).getTags()).isEqualTo(Map.of("pii", "false"));
    }
    assertThat(new CatalogsApi(server.admin()).getCatalog("gc").getTags()).isEqualTo(Map.of("pii", "false"));
    assertThat(new SchemasApi(server.admin()).getSchema("gc.s").getTags()).isEqualTo(Map.of("pii", "false"));
    assertThat(new TablesApi(server.admin()).getTable("gc.s.t", null, null).getTags()).containsEntry("pii", "false");
    assertThat(new TablesApi(server.admin()).listTables("gc", "s", null, null).getTables().get(0).getTags())
        .containsEntry("pii", "false");
    assertThat(new VolumesApi(server.admin()).getVolume("gc.s.v").getTags()).containsEntry("pii", "false");
    assertThat(new FunctionsApi(server.admin()).getFunction("gc.s.f").getTags()).containsEntry("pii", "false");
    assertThat(new CatalogsApi(server.admin()).listCatalogs(null, null).getCatalogs())
        .filteredOn(c -> c.getName().equals("gc")).singleElement()
        .satisfies(c -> assertThat(c.getTags()).containsEntry("pii", "false"));
  }

  @Test
  void invalidTagsAreRejected() {
    assertApiError(() -> tags.updateTags("table", "gc.s.t", new UpdateTags().set(Map.of("k".repeat(256), "v"))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> tags.updateTags("table", "gc.s.t", new UpdateTags().set(Map.of("k", "v".repeat(1001)))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> tags.updateTags("table", "gc.s.t", new UpdateTags().set(Map.of("a:b", "v"))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> tags.updateTags("table", "gc.s.t", new UpdateTags().set(Map.of(" padded", "v"))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> tags.updateTags("table", "gc.s.t", new UpdateTags().set(Map.of("", "v"))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> tags.updateTags("table", "gc.s.t", new UpdateTags().set(Map.of("k", "v")).unset(List.of("k"))),
        400, "INVALID_ARGUMENT");
    assertApiError(() -> tags.updateTags("table", "gc.s.t", new UpdateTags().unset(List.of("x".repeat(300)))), 400,
        "INVALID_ARGUMENT");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= TagService.MAX_TAGS; i++) {
      many.put("k" + i, "v");
    }
    assertApiError(() -> tags.updateTags("table", "gc.s.t", new UpdateTags().set(many)), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tags.getTags("metastore", "metastore"), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tags.getTags("warehouse", "gc"), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tags.getTags("table", "gc.s"), 400, "INVALID_ARGUMENT");
    assertApiError(() -> tags.getTags("table", "gc.s.missing"), 404, "NOT_FOUND");
    assertApiError(() -> tags.updateTags("volume", "gc.s.missing", new UpdateTags().set(Map.of("k", "v"))), 404,
        "NOT_FOUND");
  }

  @Test
  void theTagLimitCountsTagsAlreadySet() throws Exception {
    new TablesApi(server.admin()).createTable(TableApiTest.external("limits").catalogName("gc"));
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < TagService.MAX_TAGS; i++) {
      first.put("k" + i, "v");
    }
    assertThat(tags.updateTags("table", "gc.s.limits", new UpdateTags().set(first)).getTags()).hasSize(TagService.MAX_TAGS);
    assertApiError(() -> tags.updateTags("table", "gc.s.limits", new UpdateTags().set(Map.of("one_more", "v"))), 400,
        "INVALID_ARGUMENT");
    assertThat(tags.getTags("table", "gc.s.limits").getTags()).hasSize(TagService.MAX_TAGS).doesNotContainKey("one_more");
  }

  @Test
  void applyingTagsNeedsAPrivilegeReadingThemDoesNot() throws Exception {
    new UsersApi(server.admin()).createUser(new ScimUser().userName("tagless"));
    String key = new ApiKeysApi(server.admin()).createApiKey(new CreateApiKey().name("k").principal("tagless")).getKey();
    TagsApi asUser = new TagsApi(server.client(key));
    tags.updateTags("schema", "gc.s", new UpdateTags().set(Map.of("visible", "yes")));
    assertApiError(() -> asUser.getTags("schema", "gc.s"), 404, "NOT_FOUND"); // invisible until granted
    server.call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/gc",
        "{\"changes\":[{\"principal\":\"tagless\",\"add\":[\"USE_CATALOG\",\"USE_SCHEMA\"]}]}",
        dev.gatehouse.testing.TestServer.ADMIN_KEY);
    assertThat(asUser.getTags("schema", "gc.s").getTags()).containsEntry("visible", "yes");
    assertApiError(() -> asUser.updateTags("schema", "gc.s", new UpdateTags().set(Map.of("k", "v"))), 403,
        "PERMISSION_DENIED");
  }

  @Test
  void forcedDeletesRemoveAssetsTheirDetailsAndTags() throws Exception {
    SchemasApi schemas = new SchemasApi(server.admin());
    schemas.createSchema(new CreateSchema().catalogName("gc").name("doomed"));
    new TablesApi(server.admin()).createTable(TableApiTest.external("t").catalogName("gc").schemaName("doomed"));
    new VolumesApi(server.admin()).createVolume(VolumeApiTest.external("v").catalogName("gc").schemaName("doomed"));
    var function = FunctionApiTest.sql("f");
    function.getFunctionInfo().catalogName("gc").schemaName("doomed");
    new FunctionsApi(server.admin()).createFunction(function);
    tags.updateTags("table", "gc.doomed.t", new UpdateTags().set(Map.of("k", "v")));
    tags.updateTags("schema", "gc.doomed", new UpdateTags().set(Map.of("k", "v")));
    Map<String, Integer> before = detailCounts();

    assertApiError(() -> schemas.deleteSchema("gc.doomed", false), 409, "FAILED_PRECONDITION");
    schemas.deleteSchema("gc.doomed", true);

    assertApiError(() -> new TablesApi(server.admin()).getTable("gc.doomed.t", null, null), 404, "NOT_FOUND");
    assertApiError(() -> new VolumesApi(server.admin()).getVolume("gc.doomed.v"), 404, "NOT_FOUND");
    assertApiError(() -> new FunctionsApi(server.admin()).getFunction("gc.doomed.f"), 404, "NOT_FOUND");
    Map<String, Integer> after = detailCounts();
    assertThat(after.get("table_details")).isEqualTo(before.get("table_details") - 1);
    assertThat(after.get("volume_details")).isEqualTo(before.get("volume_details") - 1);
    assertThat(after.get("function_details")).isEqualTo(before.get("function_details") - 1);
    assertThat(after.get("securable_tags")).isEqualTo(before.get("securable_tags") - 2);

    // the names are free again
    schemas.createSchema(new CreateSchema().catalogName("gc").name("doomed"));
    assertThat(new TablesApi(server.admin()).createTable(TableApiTest.external("t").catalogName("gc")
        .schemaName("doomed")).getTags()).isEmpty();
  }

  private static Map<String, Integer> detailCounts() {
    Map<String, Integer> counts = new HashMap<>();
    jdbi().useHandle(h -> {
      for (String table : List.of("table_details", "volume_details", "function_details", "securable_tags")) {
        counts.put(table, h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
      }
    });
    return counts;
  }
}
