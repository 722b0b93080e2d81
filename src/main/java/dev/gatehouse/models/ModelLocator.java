package dev.gatehouse.models;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Names;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import org.jdbi.v3.core.Handle;

/**
 * Finds a schema, model or version by name on a handle, checks the caller's right to it through
 * {@link AccessControl}, and gives the same 404 whether it is missing or hidden from the caller.
 */
final class ModelLocator {
  private final AccessControl access;

  ModelLocator(AccessControl access) {
    this.access = access;
  }

  static SecurableRow schema(Handle h, String catalogName, String schemaName) {
    String fullName = Names.normalize("catalog_name", catalogName) + "." + Names.normalize("schema_name", schemaName);
    return find(h, SecurableType.SCHEMA, fullName);
  }

  /** The model for reading its metadata. */
  SecurableRow read(Handle h, Caller caller, String fullName) {
    SecurableRow model = model(h, fullName);
    access.requireRead(caller, model);
    return model;
  }

  /** The model for reading its versions and aliases, which is what calling it needs too. */
  SecurableRow execute(Handle h, Caller caller, String fullName) {
    SecurableRow model = model(h, fullName);
    access.require(caller, model, Privilege.EXECUTE);
    return model;
  }

  /**
   * The model for changing it, its versions or aliases: checked, then locked until the transaction
   * ends (see {@link RegisteredModelDao}) and read again, so a rename committed meanwhile is seen.
   */
  SecurableRow manage(Handle h, Caller caller, String fullName) {
    SecurableRow model = model(h, fullName);
    access.requireManage(caller, model);
    h.attach(RegisteredModelDao.class).lock(model.id()).orElseThrow(() -> AccessControl.notFound(model));
    return h.attach(SecurableDao.class).findById(model.id()).orElseThrow(() -> AccessControl.notFound(model));
  }

  static ModelVersionRow version(Handle h, SecurableRow model, long version) {
    return h.attach(ModelVersionDao.class).find(model.id(), version)
        .orElseThrow(() -> GatehouseException.notFound(SecurableType.MODEL_VERSION.label(),
            model.fullName() + "." + version));
  }

  private static SecurableRow model(Handle h, String fullName) {
    String[] parts = Names.parseFullName("full_name", fullName, 3);
    return find(h, SecurableType.REGISTERED_MODEL, String.join(".", parts));
  }

  private static SecurableRow find(Handle h, SecurableType type, String fullName) {
    return h.attach(SecurableDao.class).find(type, fullName)
        .orElseThrow(() -> GatehouseException.notFound(type.label(), fullName));
  }
}
