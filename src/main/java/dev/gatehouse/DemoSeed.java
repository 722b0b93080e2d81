package dev.gatehouse;

import dev.gatehouse.catalog.CatalogService;
import dev.gatehouse.gateway.ConnectionService;
import dev.gatehouse.gateway.ConnectionType;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.IdentityService;
import dev.gatehouse.identity.PrincipalRow;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.models.ModelAliasService;
import dev.gatehouse.models.ModelVersionService;
import dev.gatehouse.models.RegisteredModelService;
import dev.gatehouse.models.RegistrationStatus;
import dev.gatehouse.models.ServingSpec;
import java.util.Map;
import java.util.Set;

/**
 * On first start (when enabled), a demo that runs with no network: catalog {@code demo}, schema
 * {@code llm}, a MOCK connection and the model {@code demo.llm.assistant} with two versions under
 * the aliases {@code champion} and {@code challenger}. Made through the services, as the admin.
 */
final class DemoSeed {
  static final String MODEL = "demo.llm.assistant";

  private DemoSeed() {}

  static void run(IdentityService identity, CatalogService catalogs, ConnectionService connections,
      RegisteredModelService models, ModelVersionService versions, ModelAliasService aliases) {
    PrincipalRow adminRow = identity.byName("admin");
    Caller admin = new Caller(adminRow.id(), adminRow.name(), PrincipalType.USER, null, Set.of(),
        Set.of(Caller.ADMINS_GROUP), true);
    catalogs.createCatalog(admin, new CatalogService.NewSecurable("demo", "Demo catalog (seeded on first start)",
        null, null));
    catalogs.createSchema(admin, "demo", new CatalogService.NewSecurable("llm", "Demo LLMs", null, null));
    connections.create(admin, "demo_mock", ConnectionType.MOCK,
        Map.of("latency_ms", "50", "tokens_per_second", "50", "completion_tokens", "24"),
        "Answers deterministically, no network", null);
    models.create(admin, "demo", "llm", "assistant", "A demo assistant served by a MOCK connection", null);
    long champion = version(versions, admin, "mock-large", "The larger demo model");
    long challenger = version(versions, admin, "mock-small", "The smaller demo model");
    aliases.set(admin, MODEL, "champion", champion);
    aliases.set(admin, MODEL, "challenger", challenger);
  }

  private static long version(ModelVersionService versions, Caller admin, String upstreamModel, String comment) {
    var created = versions.create(admin, new ModelVersionService.NewVersion("demo", "llm", "assistant",
        "mock://" + upstreamModel, null, comment,
        new ServingSpec("demo_mock", upstreamModel, ServingSpec.CHAT, 1024L, 256L, null, null, null)));
    long number = created.row().version();
    versions.finalizeVersion(admin, MODEL, number, MODEL, number, RegistrationStatus.READY);
    return number;
  }
}
