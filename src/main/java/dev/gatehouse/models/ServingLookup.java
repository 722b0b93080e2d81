package dev.gatehouse.models;

import dev.gatehouse.db.ReadCaches;
import dev.gatehouse.securable.SecurableLookup;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What the gateway reads to route a call: a model's routes, where an alias points, and a READY
 * version's serving spec. No access checks here: the gateway checks EXECUTE on the model first.
 */
public class ServingLookup {
  private final Jdbi jdbi;

  public ServingLookup(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A READY version that serves, as the gateway routes to it. */
  public record ServedVersion(String versionId, long version, ServingSpec spec) {}

  private record RoutesOf(String modelId) {}

  private record AliasOf(String modelId, String alias) {}

  private record Served(String modelId, long version) {}

  public Optional<SecurableRow> model(String fullName) {
    return SecurableLookup.find(jdbi, SecurableType.REGISTERED_MODEL, fullName);
  }

  public ServingRoutes routes(String modelId) {
    return caches().get(new RoutesOf(modelId), () -> jdbi.withHandle(h -> Serving.routes(h, modelId)));
  }

  public Optional<Long> alias(String modelId, String alias) {
    String name = alias.toLowerCase(java.util.Locale.ROOT);
    return caches().get(new AliasOf(modelId, name),
        () -> jdbi.withHandle(h -> h.attach(ModelAliasDao.class).find(modelId, name)).map(ModelAlias::versionNum));
  }

  /** The version when it is READY and has a serving spec; empty otherwise. */
  public Optional<ServedVersion> served(String modelId, long version) {
    return caches().get(new Served(modelId, version), () -> jdbi.withHandle(h -> h.attach(ModelVersionDao.class)
        .find(modelId, version)
        .filter(v -> v.status() == RegistrationStatus.READY)
        .flatMap(v -> Optional.ofNullable(Serving.spec(h, v.id()))
            .map(spec -> new ServedVersion(v.id(), v.version(), spec)))));
  }

  private ReadCaches caches() {
    return ReadCaches.of(jdbi);
  }

  /** Models that have at least one READY version with a serving spec. */
  public List<SecurableRow> servingModels() {
    return jdbi.withHandle(h -> h.attach(ServingDao.class).servingModels());
  }
}
