package dev.gatehouse.catalog;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.Names;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Catalogs and schemas: the containers of the three-level namespace. The creator owns what it
 * creates; admins and owners (of the object or a parent) change and delete.
 */
public class CatalogService {
  private final Jdbi jdbi;
  private final AccessControl access;
  private final SecurableStore store;

  public CatalogService(Jdbi jdbi, Clock clock, AccessControl access) {
    this.jdbi = jdbi;
    this.access = access;
    this.store = new SecurableStore(clock);
  }

  /** The fields a create request sets. */
  public record NewSecurable(String name, String comment, Map<String, String> properties, String storageRoot) {}

  public SecurableRow createCatalog(Caller caller, NewSecurable request) {
    String name = Names.normalize("name", request.name());
    return jdbi.inTransaction(h -> {
      SecurableRow metastore = dao(h).findById(SecurableRow.METASTORE_ID).orElseThrow();
      access.require(caller, metastore, Privilege.CREATE_CATALOG);
      return insert(h, caller, SecurableType.CATALOG, metastore, name, request, "catalogs");
    });
  }

  public SecurableRow createSchema(Caller caller, String catalogName, NewSecurable request) {
    String catalog = Names.normalize("catalog_name", catalogName);
    String name = Names.normalize("name", request.name());
    return jdbi.inTransaction(h -> {
      SecurableRow parent = require(h, SecurableType.CATALOG, catalog);
      access.require(caller, parent, Privilege.CREATE_SCHEMA);
      return insert(h, caller, SecurableType.SCHEMA, parent, name, request, "schemas");
    });
  }

  public SecurableRow getCatalog(Caller caller, String name) {
    SecurableRow row = SecurableStore.find(jdbi, SecurableType.CATALOG, Names.normalize("name", name));
    access.requireRead(caller, row);
    return row;
  }

  public SecurableRow getSchema(Caller caller, String fullName) {
    SecurableRow row = SecurableStore.find(jdbi, SecurableType.SCHEMA, schemaName(fullName));
    access.requireRead(caller, row);
    return row;
  }

  public Page<SecurableRow> listCatalogs(Caller caller, PageRequest page) {
    SecurableRow metastore = jdbi.withHandle(h -> dao(h).findById(SecurableRow.METASTORE_ID).orElseThrow());
    return access.listChildren(caller, metastore, SecurableType.CATALOG, page);
  }

  public Page<SecurableRow> listSchemas(Caller caller, String catalogName, PageRequest page) {
    String catalog = Names.normalize("catalog_name", catalogName);
    SecurableRow parent = jdbi.withHandle(h -> require(h, SecurableType.CATALOG, catalog));
    return access.listChildren(caller, parent, SecurableType.SCHEMA, page);
  }

  public SecurableRow updateCatalog(Caller caller, String name, SecurableStore.Change change) {
    return update(caller, SecurableType.CATALOG, Names.normalize("name", name), change);
  }

  public SecurableRow updateSchema(Caller caller, String fullName, SecurableStore.Change change) {
    return update(caller, SecurableType.SCHEMA, schemaName(fullName), change);
  }

  public void deleteCatalog(Caller caller, String name, boolean force) {
    delete(caller, SecurableType.CATALOG, Names.normalize("name", name), force);
  }

  public void deleteSchema(Caller caller, String fullName, boolean force) {
    delete(caller, SecurableType.SCHEMA, schemaName(fullName), force);
  }

  private SecurableRow insert(Handle h, Caller caller, SecurableType type, SecurableRow parent, String name,
      NewSecurable request, String storageFolder) {
    String id = Ids.newId();
    String root = Assets.storageRoot(request.storageRoot());
    String location = root == null ? null
        : root.replaceAll("/+$", "") + "/__unitystorage/" + storageFolder + "/" + id;
    return store.insert(h, caller, type, parent, id, new SecurableStore.NewRow(name, request.comment(),
        Properties.toJson(request.properties()), root, location));
  }

  private SecurableRow update(Caller caller, SecurableType type, String fullName, SecurableStore.Change change) {
    return jdbi.inTransaction(h -> {
      SecurableRow row = require(h, type, fullName);
      access.requireManage(caller, row);
      return store.update(h, caller, row, change);
    });
  }

  private void delete(Caller caller, SecurableType type, String fullName, boolean force) {
    jdbi.useTransaction(h -> {
      SecurableRow row = require(h, type, fullName);
      access.requireManage(caller, row);
      SecurableStore.delete(h, row, force);
    });
  }

  private static SecurableRow require(Handle h, SecurableType type, String fullName) {
    return SecurableStore.require(h, type, fullName);
  }

  private static String schemaName(String fullName) {
    String[] parts = Names.parseFullName("full_name", fullName, 2);
    return parts[0] + "." + parts[1];
  }

  private static SecurableDao dao(Handle h) {
    return h.attach(SecurableDao.class);
  }
}
