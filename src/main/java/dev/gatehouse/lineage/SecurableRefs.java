package dev.gatehouse.lineage;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Names;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableLookup;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import org.jdbi.v3.core.Jdbi;

/**
 * Finds the securable a lineage request names, model versions also through an alias
 * ({@code catalog.schema.model@champion}). Resolving an alias needs EXECUTE on the model, as reading
 * its aliases does anywhere else. Missing objects get the 404 of their kind.
 */
final class SecurableRefs {
  private final Jdbi jdbi;
  private final AccessControl access;
  private final SecurableLookup lookup;

  SecurableRefs(Jdbi jdbi, AccessControl access) {
    this.jdbi = jdbi;
    this.access = access;
    this.lookup = new SecurableLookup(jdbi);
  }

  SecurableRow find(Caller caller, String wireType, String fullName) {
    SecurableType type = SecurableLookup.parseType(wireType);
    boolean model = type == SecurableType.REGISTERED_MODEL || type == SecurableType.MODEL_VERSION;
    if (model && fullName != null && fullName.indexOf('@') > 0) {
      return alias(caller, fullName);
    }
    if (type == SecurableType.REGISTERED_MODEL) {
      throw GatehouseException.invalid("Lineage of a model starts from one of its versions: 'full_name' is "
          + "catalog.schema.model.N or catalog.schema.model@alias.");
    }
    NodeType.of(type);
    return lookup.find(wireType, fullName);
  }

  private SecurableRow alias(Caller caller, String fullName) {
    int at = fullName.lastIndexOf('@');
    String modelName = String.join(".", Names.parseFullName("full_name", fullName.substring(0, at), 3));
    String alias = Names.normalize("alias", fullName.substring(at + 1));
    SecurableRow model = jdbi.withHandle(h -> h.attach(SecurableDao.class).find(SecurableType.REGISTERED_MODEL, modelName))
        .orElseThrow(() -> GatehouseException.notFound(SecurableType.REGISTERED_MODEL.label(), modelName));
    access.require(caller, model, Privilege.EXECUTE);
    return jdbi.withHandle(h -> h.attach(LineageDao.class).versionOfAlias(modelName, alias))
        .orElseThrow(() -> GatehouseException.notFound("Alias", modelName + "@" + alias));
  }
}
