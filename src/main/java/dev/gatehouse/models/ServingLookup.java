package dev.gatehouse.models;

import dev.gatehouse.securable.SecurableDao;
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

  public Optional<SecurableRow> model(String fullName) {
    return jdbi.withHandle(h -> h.attach(SecurableDao.class).find(SecurableType.REGISTERED_MODEL, fullName));
  }

  public ServingRoutes routes(String modelId) {
    return jdbi.withHandle(h -> Serving.routes(h, modelId));
  }

  public Optional<Long> alias(String modelId, String alias) {
    return jdbi.withHandle(h -> h.attach(ModelAliasDao.class).find(modelId, alias.toLowerCase(java.util.Locale.ROOT)))
        .map(ModelAlias::versionNum);
  }

  /** The version when it is READY and has a serving spec; empty otherwise. */
  public Optional<ServedVersion> served(String modelId, long version) {
    return jdbi.withHandle(h -> h.attach(ModelVersionDao.class).find(modelId, version)
        .filter(v -> v.status() == RegistrationStatus.READY)
        .flatMap(v -> Optional.ofNullable(Serving.spec(h, v.id()))
            .map(spec -> new ServedVersion(v.id(), v.version(), spec))));
  }

  /** Models that have at least one READY version with a serving spec. */
  public List<SecurableRow> servingModels() {
    return jdbi.withHandle(h -> h.attach(ServingDao.class).servingModels());
  }
}
