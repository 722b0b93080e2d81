package dev.gatehouse.models;

import static dev.gatehouse.testing.ApiErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.ApiException;
import dev.gatehouse.client.api.ApiKeysApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.model.CreateApiKey;
import dev.gatehouse.client.model.CreateRegisteredModel;
import dev.gatehouse.client.model.RegisteredModelInfo;
import dev.gatehouse.client.model.SchemaInfo;
import dev.gatehouse.client.model.ScimUser;
import dev.gatehouse.client.model.SetRegisteredModelAlias;
import dev.gatehouse.client.model.UpdateRegisteredModel;
import dev.gatehouse.testing.ApiErrors;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RegisteredModelApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final ModelFixture fx = new ModelFixture(server.admin());

  private RegisteredModelInfo create(SchemaInfo schema, String name) throws Exception {
    return fx.models.createRegisteredModel(new CreateRegisteredModel()
        .catalogName(schema.getCatalogName()).schemaName(schema.getName()).name(name).comment("a model"));
  }

  @Test
  void createGetUpdateDelete() throws Exception {
    SchemaInfo schema = fx.newSchema("s3://bucket/root/");
    RegisteredModelInfo created = create(schema, "Chat");
    assertThat(created.getName()).isEqualTo("chat");
    assertThat(created.getFullName()).isEqualTo(schema.getFullName() + ".chat");
    assertThat(created.getCatalogName()).isEqualTo(schema.getCatalogName());
    assertThat(created.getSchemaName()).isEqualTo("ml");
    assertThat(created.getComment()).isEqualTo("a model");
    assertThat(created.getOwner()).isEqualTo("admin");
    assertThat(created.getCreatedBy()).isEqualTo("admin");
    assertThat(created.getCreatedAt()).isPositive();
    assertThat(created.getId()).isNotBlank();
    assertThat(created.getAliases()).isEmpty();
    // under the catalog's managed storage, as the schema has none of its own
    assertThat(created.getStorageLocation())
        .startsWith("s3://bucket/root/__unitystorage/catalogs/").endsWith("/models/" + created.getId());

    assertThat(fx.models.getRegisteredModel(created.getFullName().toUpperCase())).isEqualTo(created);

    RegisteredModelInfo updated = fx.models.updateRegisteredModel(created.getFullName(),
        new UpdateRegisteredModel().comment("the chat model"));
    assertThat(updated.getComment()).isEqualTo("the chat model");
    assertThat(updated.getName()).isEqualTo("chat");
    assertThat(updated.getUpdatedAt()).isGreaterThanOrEqualTo(created.getCreatedAt());
    assertThat(updated.getUpdatedBy()).isEqualTo("admin");

    fx.models.deleteRegisteredModel(created.getFullName(), null);
    String message = expectError(() -> fx.models.getRegisteredModel(created.getFullName()), 404, "NOT_FOUND");
    assertThat(message).isEqualTo("Registered model '" + created.getFullName() + "' does not exist.");
  }

  @Test
  void duplicatesConflictCaseInsensitively() throws Exception {
    SchemaInfo schema = fx.newSchema(null);
    create(schema, "dup");
    expectError(() -> create(schema, "DUP"), 409, "ALREADY_EXISTS");
  }

  @Test
  void invalidNamesAreRejected() throws Exception {
    SchemaInfo schema = fx.newSchema(null);
    for (String bad : List.of("", "has space", "dot.ted", "x".repeat(256), "../etc")) {
      expectError(() -> create(schema, bad), 400, "INVALID_ARGUMENT");
    }
    for (String bad : List.of("a.b", "a.b.c.d", "a..b", "a.b.c d")) {
      expectError(() -> fx.models.getRegisteredModel(bad), 400, "INVALID_ARGUMENT");
    }
    var noName = server.send(server.adminRequest("/api/2.1/unity-catalog/models")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"catalog_name\":\"" + schema.getCatalogName() + "\",\"schema_name\":\"ml\"}")));
    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(noName.body()).contains("INVALID_ARGUMENT");
  }

  @Test
  void missingParentsAndModelsAre404() throws Exception {
    SchemaInfo schema = fx.newSchema(null);
    expectError(() -> fx.models.createRegisteredModel(new CreateRegisteredModel()
        .catalogName(schema.getCatalogName()).schemaName("nope").name("m")), 404, "NOT_FOUND");
    expectError(() -> fx.models.createRegisteredModel(new CreateRegisteredModel()
        .catalogName("no_such_catalog").schemaName("ml").name("m")), 404, "NOT_FOUND");
    String missing = schema.getFullName() + ".missing";
    expectError(() -> fx.models.getRegisteredModel(missing), 404, "NOT_FOUND");
    expectError(() -> fx.models.updateRegisteredModel(missing, new UpdateRegisteredModel().comment("x")),
        404, "NOT_FOUND");
    expectError(() -> fx.models.deleteRegisteredModel(missing, true), 404, "NOT_FOUND");
    expectError(() -> fx.models.listRegisteredModels(schema.getCatalogName(), "nope", null, null), 404, "NOT_FOUND");
  }

  @Test
  void listingNeedsCatalogAndSchema() throws Exception {
    SchemaInfo schema = fx.newSchema(null);
    expectError(() -> fx.models.listRegisteredModels(null, null, null, null), 400, "INVALID_ARGUMENT");
    expectError(() -> fx.models.listRegisteredModels(schema.getCatalogName(), null, null, null),
        400, "INVALID_ARGUMENT");
  }

  @Test
  void listingPagesByNameWithAliases() throws Exception {
    SchemaInfo schema = fx.newSchema(null);
    for (int i = 0; i < 12; i++) {
      create(schema, String.format("m%02d", i));
    }
    RegisteredModelInfo aliased = fx.models.getRegisteredModel(schema.getFullName() + ".m03");
    fx.readyVersion(aliased);
    fx.aliases.setRegisteredModelAlias(aliased.getFullName(), "champion", new SetRegisteredModelAlias().versionNum(1L));

    List<RegisteredModelInfo> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      var page = fx.models.listRegisteredModels(schema.getCatalogName(), schema.getName(), 5, token);
      seen.addAll(page.getRegisteredModels());
      token = page.getNextPageToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).extracting(RegisteredModelInfo::getName).hasSize(12).doesNotHaveDuplicates().isSorted();
    assertThat(seen).filteredOn(m -> m.getName().equals("m03")).singleElement()
        .satisfies(m -> assertThat(m.getAliases()).singleElement()
            .satisfies(a -> {
              assertThat(a.getAliasName()).isEqualTo("champion");
              assertThat(a.getVersionNum()).isEqualTo(1L);
            }));
    assertThat(seen).filteredOn(m -> !m.getName().equals("m03")).allSatisfy(m -> assertThat(m.getAliases()).isEmpty());
    expectError(() -> fx.models.listRegisteredModels(schema.getCatalogName(), "ml", -1, null), 400, "INVALID_ARGUMENT");
  }

  @Test
  void renameMovesVersionsAndRefusesTakenNames() throws Exception {
    SchemaInfo schema = fx.newSchema(null);
    RegisteredModelInfo model = create(schema, "before");
    create(schema, "taken");
    fx.readyVersion(model);
    expectError(() -> fx.models.updateRegisteredModel(model.getFullName(), new UpdateRegisteredModel().newName("taken")),
        409, "ALREADY_EXISTS");
    expectError(() -> fx.models.updateRegisteredModel(model.getFullName(), new UpdateRegisteredModel().newName("b c")),
        400, "INVALID_ARGUMENT");

    RegisteredModelInfo renamed = fx.models.updateRegisteredModel(model.getFullName(),
        new UpdateRegisteredModel().newName("After"));
    assertThat(renamed.getFullName()).isEqualTo(schema.getFullName() + ".after");
    assertThat(renamed.getId()).isEqualTo(model.getId());
    assertThat(fx.versions.getModelVersion(renamed.getFullName(), 1L).getModelName()).isEqualTo("after");
    expectError(() -> fx.models.getRegisteredModel(model.getFullName()), 404, "NOT_FOUND");
    expectError(() -> fx.versions.getModelVersion(model.getFullName(), 1L), 404, "NOT_FOUND");
  }

  @Test
  void ownerCanBeChangedToAnExistingPrincipal() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    new UsersApi(server.admin()).createUser(new ScimUser().userName("model_owner"));
    assertThat(fx.models.updateRegisteredModel(model.getFullName(), new UpdateRegisteredModel().owner("model_owner"))
        .getOwner()).isEqualTo("model_owner");
    expectError(() -> fx.models.updateRegisteredModel(model.getFullName(), new UpdateRegisteredModel().owner("ghost")),
        400, "INVALID_ARGUMENT");
  }

  @Test
  void deletingAModelWithVersionsNeedsForceAndTakesVersionsAndAliases() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    fx.readyVersion(model);
    fx.newVersion(model);
    fx.aliases.setRegisteredModelAlias(model.getFullName(), "champion", new SetRegisteredModelAlias().versionNum(1L));
    expectError(() -> fx.models.deleteRegisteredModel(model.getFullName(), false), 409, "FAILED_PRECONDITION");
    assertThat(fx.versions.listModelVersions(model.getFullName(), null, null).getModelVersions()).hasSize(2);

    fx.models.deleteRegisteredModel(model.getFullName(), true);
    expectError(() -> fx.models.getRegisteredModel(model.getFullName()), 404, "NOT_FOUND");

    // a new model under the same name starts afresh: no old versions, aliases or numbers
    RegisteredModelInfo again = fx.models.createRegisteredModel(new CreateRegisteredModel()
        .catalogName(model.getCatalogName()).schemaName(model.getSchemaName()).name(model.getName()));
    assertThat(again.getAliases()).isEmpty();
    assertThat(fx.versions.listModelVersions(again.getFullName(), null, null).getModelVersions()).isEmpty();
    expectError(() -> fx.aliases.getModelVersionByAlias(again.getFullName(), "champion"), 404, "NOT_FOUND");
    assertThat(fx.newVersion(again).getVersion()).isEqualTo(1L);
  }

  @Test
  void deletingTheSchemaWithForceRemovesItsModels() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    fx.readyVersion(model);
    fx.aliases.setRegisteredModelAlias(model.getFullName(), "champion", new SetRegisteredModelAlias().versionNum(1L));
    new SchemasApi(server.admin())
        .deleteSchema(model.getCatalogName() + "." + model.getSchemaName(), true);
    expectError(() -> fx.models.getRegisteredModel(model.getFullName()), 404, "NOT_FOUND");
  }

  @Test
  void aUserWithoutRightsCannotCreateOrChangeModels() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    new UsersApi(server.admin()).createUser(new ScimUser().userName("outsider"));
    String key = new ApiKeysApi(server.admin()).createApiKey(new CreateApiKey().name("k").principal("outsider")).getKey();
    ModelFixture outsider = new ModelFixture(server.client(key));
    // denied either way: 403 when the outsider may see the object, 404 when it may not
    assertDenied(() -> outsider.models.createRegisteredModel(new CreateRegisteredModel()
        .catalogName(model.getCatalogName()).schemaName(model.getSchemaName()).name("mine")));
    assertDenied(() -> outsider.models.updateRegisteredModel(model.getFullName(), new UpdateRegisteredModel().comment("x")));
    assertDenied(() -> outsider.models.deleteRegisteredModel(model.getFullName(), true));
    assertDenied(() -> outsider.newVersion(model));
    assertThat(fx.models.getRegisteredModel(model.getFullName()).getComment()).isNull();
    assertThat(fx.versions.listModelVersions(model.getFullName(), null, null).getModelVersions()).isEmpty();
  }

  private static void assertDenied(ApiErrors.Call call) {
    try {
      call.run();
    } catch (ApiException e) {
      assertThat(e.getCode()).isIn(403, 404);
      return;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a denial");
  }
}
