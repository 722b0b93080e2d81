package dev.gatehouse.catalog;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.api.VolumesApi;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.CreateVolumeRequestContent;
import dev.gatehouse.client.model.UpdateVolumeRequestContent;
import dev.gatehouse.client.model.VolumeInfo;
import dev.gatehouse.client.model.VolumeType;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VolumeApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final VolumesApi volumes = new VolumesApi(server.admin());

  @BeforeAll
  static void schema() throws Exception {
    new CatalogsApi(server.admin()).createCatalog(new CreateCatalog().name("vc"));
    new SchemasApi(server.admin()).createSchema(new CreateSchema().catalogName("vc").name("s")
        .storageRoot("s3://bucket/schema-root/"));
  }

  static CreateVolumeRequestContent external(String name) {
    return new CreateVolumeRequestContent().catalogName("vc").schemaName("s").name(name)
        .volumeType(VolumeType.EXTERNAL).storageLocation("s3://bucket/files/" + name);
  }

  @Test
  void createGetRenameDelete() throws Exception {
    VolumeInfo created = volumes.createVolume(external("Images").comment("raw images"));
    assertThat(created.getName()).isEqualTo("images");
    assertThat(created.getFullName()).isEqualTo("vc.s.images");
    assertThat(created.getCatalogName()).isEqualTo("vc");
    assertThat(created.getSchemaName()).isEqualTo("s");
    assertThat(created.getVolumeType()).isEqualTo(VolumeType.EXTERNAL);
    assertThat(created.getVolumeId()).isNotBlank();
    assertThat(created.getStorageLocation()).isEqualTo("s3://bucket/files/Images");
    assertThat(created.getOwner()).isEqualTo("admin");
    assertThat(created.getCreatedAt()).isPositive();
    assertThat(created.getTags()).isEmpty();
    assertThat(volumes.getVolume("VC.S.IMAGES")).isEqualTo(created);

    VolumeInfo renamed = volumes.updateVolume("vc.s.images",
        new UpdateVolumeRequestContent().newName("pictures").comment("all pictures"));
    assertThat(renamed.getFullName()).isEqualTo("vc.s.pictures");
    assertThat(renamed.getComment()).isEqualTo("all pictures");
    assertThat(renamed.getVolumeId()).isEqualTo(created.getVolumeId());
    assertApiError(() -> volumes.getVolume("vc.s.images"), 404, "NOT_FOUND");
    assertThat(volumes.updateVolume("vc.s.pictures", new UpdateVolumeRequestContent().owner("admins")).getOwner())
        .isEqualTo("admins");

    volumes.deleteVolume("vc.s.pictures");
    assertApiError(() -> volumes.getVolume("vc.s.pictures"), 404, "NOT_FOUND");
    assertApiError(() -> volumes.deleteVolume("vc.s.pictures"), 404, "NOT_FOUND");
  }

  @Test
  void managedVolumesLiveUnderTheSchemaRoot() throws Exception {
    VolumeInfo managed = volumes.createVolume(external("managed").volumeType(VolumeType.MANAGED).storageLocation(null));
    assertThat(managed.getStorageLocation()).startsWith("s3://bucket/schema-root/__unitystorage/schemas/")
        .endsWith("/volumes/" + managed.getVolumeId());
  }

  @Test
  void errors() throws Exception {
    volumes.createVolume(external("dup"));
    volumes.createVolume(external("other"));
    assertApiError(() -> volumes.createVolume(external("DUP")), 409, "ALREADY_EXISTS");
    assertApiError(() -> volumes.updateVolume("vc.s.other", new UpdateVolumeRequestContent().newName("dup")), 409,
        "ALREADY_EXISTS");
    assertApiError(() -> volumes.updateVolume("vc.s.other", new UpdateVolumeRequestContent().newName("bad name")), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> volumes.updateVolume("vc.s.other", new UpdateVolumeRequestContent().comment("")), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> volumes.updateVolume("vc.s.ghost", new UpdateVolumeRequestContent().comment("x")), 404,
        "NOT_FOUND");
    assertApiError(() -> volumes.createVolume(external("v").schemaName("missing")), 404, "NOT_FOUND");
    assertApiError(() -> volumes.createVolume(external("bad-name")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> volumes.createVolume(external("v").storageLocation(null)), 400, "INVALID_ARGUMENT");
    assertApiError(() -> volumes.createVolume(external("v").storageLocation(" ")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> volumes.createVolume(external("v").volumeType(VolumeType.MANAGED)), 400, "INVALID_ARGUMENT");
    assertApiError(() -> volumes.getVolume("vc.s.ghost"), 404, "NOT_FOUND");
    assertApiError(() -> volumes.getVolume("vc.s.a.b"), 400, "INVALID_ARGUMENT");
    assertApiError(() -> volumes.listVolumes("vc", "missing", null, null), 404, "NOT_FOUND");
    var response = server.send(server.adminRequest("/api/2.1/unity-catalog/volumes")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"catalog_name\":\"vc\",\"schema_name\":\"s\",\"name\":\"v\",\"volume_type\":\"SHARED\"}")));
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void listingPages() throws Exception {
    new SchemasApi(server.admin()).createSchema(new CreateSchema().catalogName("vc").name("many"));
    for (int i = 0; i < 7; i++) {
      volumes.createVolume(external("v" + i).schemaName("many"));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      var page = volumes.listVolumes("vc", "many", 3, token);
      assertThat(page.getVolumes()).hasSizeLessThanOrEqualTo(3);
      page.getVolumes().forEach(v -> seen.add(v.getName()));
      token = page.getNextPageToken();
    } while (token != null);
    assertThat(seen).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6");
  }
}
