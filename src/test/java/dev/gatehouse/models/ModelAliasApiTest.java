package dev.gatehouse.models;

import static dev.gatehouse.testing.ApiErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatehouse.client.model.FinalizeModelVersion;
import dev.gatehouse.client.model.ModelVersionInfo;
import dev.gatehouse.client.model.ModelVersionStatus;
import dev.gatehouse.client.model.RegisteredModelAlias;
import dev.gatehouse.client.model.RegisteredModelInfo;
import dev.gatehouse.client.model.SetRegisteredModelAlias;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ModelAliasApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final ModelFixture fx = new ModelFixture(server.admin());

  private RegisteredModelAlias set(RegisteredModelInfo model, String alias, long version) throws Exception {
    return fx.aliases.setRegisteredModelAlias(model.getFullName(), alias, new SetRegisteredModelAlias().versionNum(version));
  }

  @Test
  void setMoveGetAndDelete() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    fx.readyVersion(model);
    fx.readyVersion(model);

    RegisteredModelAlias set = set(model, "Champion", 1);
    assertThat(set.getAliasName()).isEqualTo("champion");
    assertThat(set.getVersionNum()).isEqualTo(1L);
    set(model, "challenger", 2);
    set(model, "stable", 1);

    ModelVersionInfo champion = fx.aliases.getModelVersionByAlias(model.getFullName(), "CHAMPION");
    assertThat(champion.getVersion()).isEqualTo(1L);
    // a version carries every alias pointing to it
    assertThat(champion.getAliases()).extracting(RegisteredModelAlias::getAliasName)
        .containsExactly("champion", "stable");
    assertThat(fx.models.getRegisteredModel(model.getFullName()).getAliases())
        .extracting(RegisteredModelAlias::getAliasName, RegisteredModelAlias::getVersionNum)
        .containsExactly(tuple("challenger", 2L), tuple("champion", 1L), tuple("stable", 1L));

    // moving: one version per alias
    set(model, "champion", 2);
    assertThat(fx.aliases.getModelVersionByAlias(model.getFullName(), "champion").getVersion()).isEqualTo(2L);
    assertThat(fx.versions.getModelVersion(model.getFullName(), 1L).getAliases())
        .extracting(RegisteredModelAlias::getAliasName).containsExactly("stable");
    assertThat(fx.versions.listModelVersions(model.getFullName(), null, null).getModelVersions())
        .extracting(v -> v.getAliases().stream().map(RegisteredModelAlias::getAliasName).toList())
        .containsExactly(List.of("stable"), List.of("challenger", "champion"));

    fx.aliases.deleteRegisteredModelAlias(model.getFullName(), "champion");
    expectError(() -> fx.aliases.getModelVersionByAlias(model.getFullName(), "champion"), 404, "NOT_FOUND");
    expectError(() -> fx.aliases.deleteRegisteredModelAlias(model.getFullName(), "champion"), 404, "NOT_FOUND");
    assertThat(fx.models.getRegisteredModel(model.getFullName()).getAliases())
        .extracting(RegisteredModelAlias::getAliasName).containsExactly("challenger", "stable");
  }

  @Test
  void onlyReadyVersionsTakeAnAlias() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    fx.newVersion(model);
    String message = expectError(() -> set(model, "champion", 1), 409, "FAILED_PRECONDITION");
    assertThat(message).contains("PENDING_REGISTRATION").contains("only READY versions");
    fx.versions.finalizeModelVersion(model.getFullName(), 1L, new FinalizeModelVersion()
        .fullName(model.getFullName()).version(1L)
        .status(ModelVersionStatus.FAILED_REGISTRATION));
    expectError(() -> set(model, "champion", 1), 409, "FAILED_PRECONDITION");
    expectError(() -> set(model, "champion", 7), 404, "NOT_FOUND");
    assertThat(fx.models.getRegisteredModel(model.getFullName()).getAliases()).isEmpty();
  }

  @Test
  void aliasNamesAreValidated() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    fx.readyVersion(model);
    for (String bad : List.of("latest", "LATEST", "1st", "_x", "-x", "has space", "dot.ted", "x".repeat(256))) {
      expectError(() -> set(model, bad, 1), 400, "INVALID_ARGUMENT");
    }
    assertThat(expectError(() -> set(model, "Latest", 1), 400, "INVALID_ARGUMENT")).contains("reserved");
    expectError(() -> fx.aliases.getModelVersionByAlias(model.getFullName(), "9lives"), 400, "INVALID_ARGUMENT");
    assertThat(set(model, "a" + "-_9".repeat(84) + "z".repeat(2), 1).getAliasName()).hasSize(255);
    assertThat(set(model, "v2-canary_b", 1).getAliasName()).isEqualTo("v2-canary_b");
    var noVersion = server.send(server.adminRequest(
            "/api/2.1/unity-catalog/models/" + model.getFullName() + "/aliases/champion")
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(noVersion.statusCode()).isEqualTo(400);
  }

  @Test
  void missingModelsAndAliasesAre404() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    String missing = model.getCatalogName() + ".ml.missing";
    expectError(() -> fx.aliases.setRegisteredModelAlias(missing, "a", new SetRegisteredModelAlias().versionNum(1L)),
        404, "NOT_FOUND");
    expectError(() -> fx.aliases.getModelVersionByAlias(missing, "a"), 404, "NOT_FOUND");
    expectError(() -> fx.aliases.deleteRegisteredModelAlias(missing, "a"), 404, "NOT_FOUND");
    assertThat(expectError(() -> fx.aliases.getModelVersionByAlias(model.getFullName(), "a"), 404, "NOT_FOUND"))
        .isEqualTo("Model alias '" + model.getFullName() + "@a' does not exist.");
  }

  @Test
  void deletingAnAliasedVersionNeedsForce() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    fx.readyVersion(model);
    fx.readyVersion(model);
    set(model, "champion", 1);
    set(model, "stable", 1);
    set(model, "challenger", 2);

    String message = expectError(() -> fx.versions.deleteModelVersion(model.getFullName(), 1L, false),
        409, "FAILED_PRECONDITION");
    assertThat(message).contains("champion, stable").contains("force=true");
    assertThat(fx.versions.getModelVersion(model.getFullName(), 1L).getAliases()).hasSize(2);

    fx.versions.deleteModelVersion(model.getFullName(), 1L, true);
    expectError(() -> fx.versions.getModelVersion(model.getFullName(), 1L), 404, "NOT_FOUND");
    expectError(() -> fx.aliases.getModelVersionByAlias(model.getFullName(), "champion"), 404, "NOT_FOUND");
    assertThat(fx.models.getRegisteredModel(model.getFullName()).getAliases())
        .extracting(RegisteredModelAlias::getAliasName).containsExactly("challenger");

    // an alias moved away no longer holds its old version
    set(model, "challenger", 2);
    fx.readyVersion(model);
    set(model, "challenger", 3);
    fx.versions.deleteModelVersion(model.getFullName(), 2L, null);
  }
}
