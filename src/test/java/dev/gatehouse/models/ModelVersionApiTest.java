package dev.gatehouse.models;

import static dev.gatehouse.testing.ApiErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.model.CreateModelVersion;
import dev.gatehouse.client.model.CreateRegisteredModel;
import dev.gatehouse.client.model.FinalizeModelVersion;
import dev.gatehouse.client.model.ModelVersionInfo;
import dev.gatehouse.client.model.ModelVersionStatus;
import dev.gatehouse.client.model.RegisteredModelInfo;
import dev.gatehouse.client.model.SchemaInfo;
import dev.gatehouse.client.model.UpdateModelVersion;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ModelVersionApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final ModelFixture fx = new ModelFixture(server.admin());

  @Test
  void createGetAndFinalize() throws Exception {
    SchemaInfo schema = fx.newSchema("s3://bucket/root");
    RegisteredModelInfo model = fx.models.createRegisteredModel(new CreateRegisteredModel()
        .catalogName(schema.getCatalogName()).schemaName(schema.getName()).name("Ranker"));
    ModelVersionInfo created = fx.versions.createModelVersion(new CreateModelVersion()
        .catalogName(schema.getCatalogName().toUpperCase()).schemaName("ML").modelName("RANKER")
        .source("s3://artifacts/run-7").runId("run-7").comment("first try"));
    assertThat(created.getVersion()).isEqualTo(1L);
    assertThat(created.getStatus()).isEqualTo(ModelVersionStatus.PENDING_REGISTRATION);
    assertThat(created.getModelName()).isEqualTo("ranker");
    assertThat(created.getCatalogName()).isEqualTo(schema.getCatalogName());
    assertThat(created.getSchemaName()).isEqualTo("ml");
    assertThat(created.getSource()).isEqualTo("s3://artifacts/run-7");
    assertThat(created.getRunId()).isEqualTo("run-7");
    assertThat(created.getComment()).isEqualTo("first try");
    assertThat(created.getCreatedBy()).isEqualTo("admin");
    assertThat(created.getUpdatedBy()).isEqualTo("admin");
    assertThat(created.getCreatedAt()).isPositive();
    assertThat(created.getId()).isNotBlank().isNotEqualTo(model.getId());
    assertThat(created.getStorageLocation()).isEqualTo(model.getStorageLocation() + "/versions/" + created.getId());
    assertThat(created.getAliases()).isEmpty();

    assertThat(fx.versions.getModelVersion(model.getFullName(), 1L)).isEqualTo(created);

    ModelVersionInfo ready = fx.finalize(model, 1L);
    assertThat(ready.getStatus()).isEqualTo(ModelVersionStatus.READY);
    assertThat(ready.getSource()).isEqualTo(created.getSource());
    assertThat(ready.getUpdatedAt()).isGreaterThanOrEqualTo(created.getUpdatedAt());
    assertThat(fx.versions.getModelVersion(model.getFullName(), 1L).getStatus()).isEqualTo(ModelVersionStatus.READY);
  }

  @Test
  void finalizeRules() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    long v = fx.newVersion(model).getVersion();
    // the body must name the version of the path
    expectError(() -> fx.versions.finalizeModelVersion(model.getFullName(), v,
        new FinalizeModelVersion().fullName(model.getFullName() + "x").version(v)), 400, "INVALID_ARGUMENT");
    expectError(() -> fx.versions.finalizeModelVersion(model.getFullName(), v,
        new FinalizeModelVersion().fullName(model.getFullName()).version(v + 1)), 400, "INVALID_ARGUMENT");
    expectError(() -> fx.versions.finalizeModelVersion(model.getFullName(), v,
        new FinalizeModelVersion().version(v)), 400, "INVALID_ARGUMENT");
    // only a final status
    for (ModelVersionStatus bad : List.of(ModelVersionStatus.PENDING_REGISTRATION,
        ModelVersionStatus.MODEL_VERSION_STATUS_UNKNOWN)) {
      expectError(() -> fx.versions.finalizeModelVersion(model.getFullName(), v,
          new FinalizeModelVersion().fullName(model.getFullName()).version(v).status(bad)), 400, "INVALID_ARGUMENT");
    }
    expectError(() -> fx.versions.finalizeModelVersion(model.getFullName(), 99L,
        new FinalizeModelVersion().fullName(model.getFullName()).version(99L)), 404, "NOT_FOUND");

    fx.finalize(model, v);
    // finalized once, for good
    String message = expectError(() -> fx.finalize(model, v), 409, "FAILED_PRECONDITION");
    assertThat(message).contains("already finalized");

    long failed = fx.newVersion(model).getVersion();
    ModelVersionInfo info = fx.versions.finalizeModelVersion(model.getFullName(), failed, new FinalizeModelVersion()
        .fullName(model.getFullName()).version(failed).status(ModelVersionStatus.FAILED_REGISTRATION));
    assertThat(info.getStatus()).isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
    expectError(() -> fx.finalize(model, failed), 409, "FAILED_PRECONDITION");
  }

  @Test
  void aFinalizedVersionChangesOnlyItsComment() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    long v = fx.newVersion(model).getVersion();
    ModelVersionInfo pending = fx.versions.updateModelVersion(model.getFullName(), v,
        new UpdateModelVersion().source("s3://artifacts/fixed").runId("run-8"));
    assertThat(pending.getSource()).isEqualTo("s3://artifacts/fixed");
    assertThat(pending.getRunId()).isEqualTo("run-8");

    fx.finalize(model, v);
    ModelVersionInfo commented = fx.versions.updateModelVersion(model.getFullName(), v,
        new UpdateModelVersion().comment("the good one"));
    assertThat(commented.getComment()).isEqualTo("the good one");
    assertThat(commented.getStatus()).isEqualTo(ModelVersionStatus.READY);
    for (UpdateModelVersion change : List.of(new UpdateModelVersion().source("s3://elsewhere"),
        new UpdateModelVersion().runId("other"), new UpdateModelVersion().comment("x").source("s3://elsewhere"))) {
      String message = expectError(() -> fx.versions.updateModelVersion(model.getFullName(), v, change),
          400, "INVALID_ARGUMENT");
      assertThat(message).contains("only its comment may change");
    }
    ModelVersionInfo after = fx.versions.getModelVersion(model.getFullName(), v);
    assertThat(after.getSource()).isEqualTo("s3://artifacts/fixed");
    assertThat(after.getRunId()).isEqualTo("run-8");
    assertThat(after.getComment()).isEqualTo("the good one");
  }

  @Test
  void invalidInputIsRejected() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    CreateModelVersion base = new CreateModelVersion().catalogName(model.getCatalogName())
        .schemaName(model.getSchemaName()).modelName(model.getName());
    expectError(() -> fx.versions.createModelVersion(base.source(" ")), 400, "INVALID_ARGUMENT");
    expectError(() -> fx.versions.createModelVersion(base.source("s".repeat(4097))), 400, "INVALID_ARGUMENT");
    expectError(() -> fx.versions.createModelVersion(base.source("s3://ok").runId("r".repeat(256))),
        400, "INVALID_ARGUMENT");
    expectError(() -> fx.versions.createModelVersion(new CreateModelVersion().catalogName(model.getCatalogName())
        .schemaName(model.getSchemaName()).modelName("bad name").source("s3://ok")), 400, "INVALID_ARGUMENT");
    var noSource = server.send(server.adminRequest("/api/2.1/unity-catalog/models/versions")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"catalog_name\":\"" + model.getCatalogName()
            + "\",\"schema_name\":\"ml\",\"model_name\":\"model\"}")));
    assertThat(noSource.statusCode()).isEqualTo(400);
    var notANumber = server.send(server.adminRequest(
        "/api/2.1/unity-catalog/models/" + model.getFullName() + "/versions/one").GET());
    assertThat(notANumber.statusCode()).isIn(400, 404);
    assertThat(notANumber.body()).contains("error_code");
    // nothing above took a number
    assertThat(fx.newVersion(model).getVersion()).isEqualTo(1L);
  }

  @Test
  void missingModelsAndVersionsAre404() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    String missing = model.getCatalogName() + ".ml.missing";
    expectError(() -> fx.versions.createModelVersion(new CreateModelVersion().catalogName(model.getCatalogName())
        .schemaName("ml").modelName("missing").source("s3://x")), 404, "NOT_FOUND");
    expectError(() -> fx.versions.listModelVersions(missing, null, null), 404, "NOT_FOUND");
    assertThat(expectError(() -> fx.versions.getModelVersion(missing, 1L), 404, "NOT_FOUND"))
        .isEqualTo("Registered model '" + missing + "' does not exist.");
    assertThat(expectError(() -> fx.versions.getModelVersion(model.getFullName(), 1L), 404, "NOT_FOUND"))
        .isEqualTo("Model version '" + model.getFullName() + ".1' does not exist.");
    expectError(() -> fx.versions.updateModelVersion(model.getFullName(), 1L, new UpdateModelVersion().comment("c")),
        404, "NOT_FOUND");
    expectError(() -> fx.versions.deleteModelVersion(model.getFullName(), 1L, null), 404, "NOT_FOUND");
  }

  @Test
  void deletedNumbersAreNeverReused() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    fx.newVersion(model);
    fx.newVersion(model);
    fx.versions.deleteModelVersion(model.getFullName(), 2L, null);
    expectError(() -> fx.versions.getModelVersion(model.getFullName(), 2L), 404, "NOT_FOUND");
    assertThat(fx.newVersion(model).getVersion()).isEqualTo(3L);
    fx.versions.deleteModelVersion(model.getFullName(), 3L, null);
    assertThat(fx.newVersion(model).getVersion()).isEqualTo(4L);
    assertThat(fx.versions.listModelVersions(model.getFullName(), null, null).getModelVersions())
        .extracting(ModelVersionInfo::getVersion).containsExactly(1L, 4L);
  }

  @Test
  void listingPagesInNumberOrder() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    for (int i = 0; i < 23; i++) {
      fx.newVersion(model);
    }
    List<Long> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      var page = fx.versions.listModelVersions(model.getFullName(), 10, token);
      page.getModelVersions().forEach(v -> seen.add(v.getVersion()));
      token = page.getNextPageToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    // numeric order: 9 before 10, which name order would invert
    assertThat(seen).hasSize(23).isSorted().startsWith(1L, 2L).contains(9L, 10L).endsWith(23L);
    expectError(() -> fx.versions.listModelVersions(model.getFullName(), -1, null), 400, "INVALID_ARGUMENT");
    expectError(() -> fx.versions.listModelVersions(model.getFullName(), 10, "bm90IGEgbnVtYmVy"),
        400, "INVALID_ARGUMENT");
  }
}
