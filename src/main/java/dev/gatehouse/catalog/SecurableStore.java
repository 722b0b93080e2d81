package dev.gatehouse.catalog;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.securable.Owners;
import dev.gatehouse.common.Names;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableLookup;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The writes every kind of securable shares (catalogs, schemas and the assets in schemas), so that
 * names, owners, renames and deletes follow one set of rules. Authorization stays with the callers:
 * each service checks its own privilege before it calls in here, inside the same transaction.
 */
final class SecurableStore {
  private final Clock clock;

  SecurableStore(Clock clock) {
    this.clock = clock;
  }

  /** The fields an update request may set; null leaves a field as it is. */
  record Change(String newName, String owner, String comment, Map<String, String> properties) {}

  /** The stored fields of a new securable that its request gives (validated here). */
  record NewRow(String name, String comment, String propertiesJson, String storageRoot, String storageLocation) {}

  static SecurableRow require(Handle h, SecurableType type, String fullName) {
    return dao(h).find(type, fullName).orElseThrow(() -> GatehouseException.notFound(type.label(), fullName));
  }

  /** Like {@link #require}, outside a transaction: served from the read caches in reads. */
  static SecurableRow find(Jdbi jdbi, SecurableType type, String fullName) {
    return SecurableLookup.find(jdbi, type, fullName)
        .orElseThrow(() -> GatehouseException.notFound(type.label(), fullName));
  }

  /** The schema of an asset request; a missing catalog reads as a missing schema. */
  static SecurableRow requireSchema(Handle h, String catalogName, String schemaName) {
    String schema = Names.normalize("catalog_name", catalogName) + "." + Names.normalize("schema_name", schemaName);
    return require(h, SecurableType.SCHEMA, schema);
  }

  /** Parses an asset's catalog.schema.name, 400 when malformed. */
  static String assetName(String field, String fullName) {
    return String.join(".", Names.parseFullName(field, fullName, 3));
  }

  /** Inserts a child of {@code parent} owned by its creator; 409 when the name is taken. */
  SecurableRow insert(Handle h, Caller caller, SecurableType type, SecurableRow parent, String id, NewRow row) {
    String fullName = parent.securableType() == SecurableType.METASTORE ? row.name() : parent.fullName() + "." + row.name();
    AuditContext.current().target(type.wireName(), fullName);
    if (dao(h).find(type, fullName).isPresent()) {
      throw GatehouseException.alreadyExists(type.label(), fullName);
    }
    long now = clock.millis();
    SecurableRow inserted = new SecurableRow(id, type, parent.id(), row.name(), fullName, caller.name(),
        Names.comment(row.comment()), row.propertiesJson(), row.storageRoot(), row.storageLocation(), now,
        caller.name(), now, caller.name());
    dao(h).insert(inserted);
    return inserted;
  }

  /** Applies a change; a rename keeps the parent and moves the full names of everything beneath. */
  SecurableRow update(Handle h, Caller caller, SecurableRow row, Change change) {
    String name = row.name();
    String fullName = row.fullName();
    if (change.newName() != null) {
      name = Names.normalize("new_name", change.newName());
      fullName = row.fullName().substring(0, row.fullName().length() - row.name().length()) + name;
      if (!name.equals(row.name()) && dao(h).find(row.securableType(), fullName).isPresent()) {
        throw GatehouseException.alreadyExists(row.securableType().label(), fullName);
      }
    }
    String owner = row.owner();
    if (change.owner() != null) {
      owner = Owners.resolve(h, change.owner());
    }
    SecurableRow updated = row.withUpdate(name, fullName, owner,
        change.comment() != null ? Names.comment(change.comment()) : row.comment(),
        change.properties() != null ? Properties.toJson(change.properties()) : row.properties(),
        clock.millis(), caller.name());
    dao(h).update(updated);
    if (!fullName.equals(row.fullName())) {
      dao(h).renameDescendants(row.fullName() + ".", row.fullName().length() + 1, fullName + ".");
    }
    return updated;
  }

  /** Deletes a securable and, through the cascades, all it holds; 409 when it holds any and !force. */
  static void delete(Handle h, SecurableRow row, boolean force) {
    if (!force && dao(h).hasChildren(row.id())) {
      throw GatehouseException.conflict(row.securableType().label() + " '" + row.fullName()
          + "' is not empty; delete with force=true.");
    }
    dao(h).delete(row.id());
  }

  private static SecurableDao dao(Handle h) {
    return h.attach(SecurableDao.class);
  }
}
