package dev.gatehouse.catalog;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.model.CatalogInfo;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.ListCatalogsResponse;
import dev.gatehouse.client.model.UpdateCatalog;
import dev.gatehouse.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CatalogApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final CatalogsApi catalogs = new CatalogsApi(server.admin());
  private final SchemasApi schemas = new SchemasApi(server.admin());

  @Test
  void createGetUpdateDelete() throws Exception {
    CatalogInfo created = catalogs.createCatalog(new CreateCatalog().name("Sales").comment("revenue")
        .properties(Map.of("team", "finance")).storageRoot("s3://bucket/root/"));
    assertThat(created.getName()).isEqualTo("sales");
    assertThat(created.getOwner()).isEqualTo("admin");
    assertThat(created.getCreatedBy()).isEqualTo("admin");
    assertThat(created.getId()).isNotBlank();
    assertThat(created.getCreatedAt()).isPositive();
    assertThat(created.getProperties()).containsEntry("team", "finance");
    assertThat(created.getStorageLocation()).isEqualTo("s3://bucket/root/__unitystorage/catalogs/" + created.getId());

    assertThat(catalogs.getCatalog("SALES")).isEqualTo(created);

    CatalogInfo updated = catalogs.updateCatalog("sales", new UpdateCatalog().comment("all revenue"));
    assertThat(updated.getComment()).isEqualTo("all revenue");
    assertThat(updated.getProperties()).containsEntry("team", "finance");
    assertThat(updated.getUpdatedAt()).isGreaterThanOrEqualTo(created.getCreatedAt());

    catalogs.deleteCatalog("sales", null);
    assertApiError(() -> catalogs.getCatalog("sales"), 404, "NOT_FOUND");
  }

  @Test
  void duplicateNamesConflictCaseInsensitively() throws Exception {
    catalogs.createCatalog(new CreateCatalog().name("dup"));
    assertApiError(() -> catalogs.createCatalog(new CreateCatalog().name("DUP")), 409, "ALREADY_EXISTS");
  }

  @Test
  void invalidNamesAreRejected() {
    for (String bad : List.of("", "has space", "dot.ted", "semi;colon", "x".repeat(256), "../etc")) {
      assertApiError(() -> catalogs.createCatalog(new CreateCatalog().name(bad)), 400, "INVALID_ARGUMENT");
    }
  }

  /** A root too long for the managed locations under it, or with control characters, is a 400, not a failed insert. */
  @Test
  void storageRootsAreBoundedForTheLocationsMadeUnderThem() throws Exception {
    String longest = "s3://" + "r".repeat(Assets.MAX_STORAGE_ROOT_LENGTH - 5);
    CatalogInfo rooted = catalogs.createCatalog(new CreateCatalog().name("rooted").storageRoot(longest));
    assertThat(rooted.getStorageLocation()).startsWith(longest).hasSizeLessThanOrEqualTo(Assets.MAX_LOCATION_LENGTH);
    var schema = schemas.createSchema(new CreateSchema().catalogName("rooted").name("deep").storageRoot(longest));
    assertThat(schema.getStorageLocation()).hasSizeLessThanOrEqualTo(Assets.MAX_LOCATION_LENGTH);
    for (String bad : List.of(longest + "r", "x".repeat(5000), "s3://a\nb", " ")) {
      assertApiError(() -> catalogs.createCatalog(new CreateCatalog().name("rooted_bad").storageRoot(bad)), 400,
          "INVALID_ARGUMENT");
      assertApiError(() -> schemas.createSchema(new CreateSchema().catalogName("rooted").name("bad").storageRoot(bad)),
          400, "INVALID_ARGUMENT");
    }
  }

  @Test
  void renameMovesChildren() throws Exception {
    catalogs.createCatalog(new CreateCatalog().name("old_name"));
    schemas.createSchema(new CreateSchema().catalogName("old_name").name("inner"));
    catalogs.updateCatalog("old_name", new UpdateCatalog().newName("new_name"));
    assertThat(schemas.getSchema("new_name.inner").getFullName()).isEqualTo("new_name.inner");
    assertApiError(() -> schemas.getSchema("old_name.inner"), 404, "NOT_FOUND");
  }

  @Test
  void deletingNonEmptyCatalogNeedsForce() throws Exception {
    catalogs.createCatalog(new CreateCatalog().name("full"));
    schemas.createSchema(new CreateSchema().catalogName("full").name("s"));
    assertApiError(() -> catalogs.deleteCatalog("full", false), 409, "FAILED_PRECONDITION");
    catalogs.deleteCatalog("full", true);
    assertApiError(() -> schemas.getSchema("full.s"), 404, "NOT_FOUND");
  }

  @Test
  void paginationIsStableAndComplete() throws Exception {
    catalogs.createCatalog(new CreateCatalog().name("pg_root"));
    for (int i = 0; i < 25; i++) {
      schemas.createSchema(new CreateSchema().catalogName("pg_root").name(String.format("s%02d", i)));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      var page = schemas.listSchemas("pg_root", 10, token);
      page.getSchemas().forEach(s -> seen.add(s.getName()));
      token = page.getNextPageToken();
      pages++;
      if (pages == 1) {
        // a concurrent insert before the cursor must not shift later pages
        schemas.createSchema(new CreateSchema().catalogName("pg_root").name("a_inserted"));
      }
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void maxResultsIsClampedAndNegativeRejected() throws Exception {
    ListCatalogsResponse page = catalogs.listCatalogs(null, 100_000);
    assertThat(page.getCatalogs()).isNotNull();
    assertApiError(() -> catalogs.listCatalogs(null, -1), 400, "INVALID_ARGUMENT");
    assertApiError(() -> catalogs.listCatalogs("not base64 !!", 10), 400, "INVALID_ARGUMENT");
  }

  @Test
  void aGranteeReadsCatalogsButCannotCreateOrChangeThem() throws Exception {
    catalogs.createCatalog(new CreateCatalog().name("readable").comment("for all"));
    CatalogsApi asUser = new CatalogsApi(server.client(server.userWithKey("catalog.reader")));
    assertApiError(() -> asUser.getCatalog("readable"), 404, "NOT_FOUND"); // nothing granted: invisible
    server.call("PATCH", "/api/2.1/unity-catalog/permissions/catalog/readable",
        "{\"changes\":[{\"principal\":\"catalog.reader\",\"add\":[\"USE_CATALOG\"]}]}", TestServer.ADMIN_KEY);

    assertThat(asUser.getCatalog("readable").getComment()).isEqualTo("for all");
    assertThat(asUser.listCatalogs(null, 1000).getCatalogs()).extracting(CatalogInfo::getName).contains("readable");
    assertApiError(() -> asUser.getCatalog("missing"), 404, "NOT_FOUND");
    assertApiError(() -> asUser.createCatalog(new CreateCatalog().name("mine")), 403, "PERMISSION_DENIED");
    assertApiError(() -> asUser.updateCatalog("readable", new UpdateCatalog().comment("x")), 403, "PERMISSION_DENIED");
    assertApiError(() -> asUser.deleteCatalog("readable", true), 403, "PERMISSION_DENIED");
    assertApiError(() -> catalogs.getCatalog("mine"), 404, "NOT_FOUND");
    assertThat(catalogs.getCatalog("readable").getComment()).isEqualTo("for all");
  }

  @Test
  void theOwnerOfACatalogChangesItAndWhatItHolds() throws Exception {
    String key = server.userWithKey("catalog.owner");
    catalogs.createCatalog(new CreateCatalog().name("handed_over"));
    CatalogInfo handed = catalogs.updateCatalog("handed_over", new UpdateCatalog().owner("catalog.owner"));
    assertThat(handed.getOwner()).isEqualTo("catalog.owner");

    CatalogsApi asOwner = new CatalogsApi(server.client(key));
    assertThat(asOwner.updateCatalog("handed_over", new UpdateCatalog().properties(Map.of("k", "v")))
        .getProperties()).isEqualTo(Map.of("k", "v"));
    SchemasApi ownerSchemas = new SchemasApi(server.client(key));
    assertThat(ownerSchemas.createSchema(new CreateSchema().catalogName("handed_over").name("inside")).getOwner())
        .isEqualTo("catalog.owner");
    asOwner.deleteCatalog("handed_over", true);
    assertApiError(() -> catalogs.getCatalog("handed_over"), 404, "NOT_FOUND");
  }
}
