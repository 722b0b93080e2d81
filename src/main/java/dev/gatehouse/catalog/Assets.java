package dev.gatehouse.catalog;

import dev.gatehouse.db.ReadCaches;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the assets of a schema (tables, volumes, functions) have in common: a securable row under a
 * schema plus a detail row of their own kind, created with a CREATE_* privilege on the schema, read
 * when visible, changed and deleted by those who manage them. One instance serves one kind.
 *
 * @param <D> the kind's detail row
 */
final class Assets<D extends Assets.Detail> {
  /** A kind's detail row, keyed by its securable's id. */
  interface Detail {
    String securableId();
  }

  /** An asset as served: its securable row and its detail. */
  record Asset<D>(SecurableRow row, D detail) {}

  /** Loads the detail rows of the given securable ids (any order, missing ones left out). */
  @FunctionalInterface
  interface DetailLoader<D> {
    List<D> load(Handle h, List<String> ids);
  }

  /** Stores a new detail row. */
  @FunctionalInterface
  interface DetailWriter<D> {
    void write(Handle h, D detail);
  }

  /** What a new asset's rows will hold, decided inside the creating transaction. */
  record Draft<D>(SecurableStore.NewRow row, D detail) {}

  /** Drafts a new asset given its checked parent schema and its new id. */
  @FunctionalInterface
  interface Drafter<D> {
    Draft<D> draft(Handle h, SecurableRow schema, String id);
  }

  static final int MAX_LOCATION_LENGTH = 4096;
  /** Room under the location column for the suffixes of managed locations below a root. */
  static final int MAX_STORAGE_ROOT_LENGTH = MAX_LOCATION_LENGTH - 256;

  private final Jdbi jdbi;
  private final AccessControl access;
  private final SecurableStore store;
  private final SecurableType type;
  private final DetailLoader<D> details;
  private final DetailWriter<D> writer;

  Assets(Jdbi jdbi, Clock clock, AccessControl access, SecurableType type, DetailLoader<D> details,
      DetailWriter<D> writer) {
    this.jdbi = jdbi;
    this.access = access;
    this.store = new SecurableStore(clock);
    this.type = type;
    this.details = details;
    this.writer = writer;
  }

  /**
   * Creates an asset in one transaction once the schema exists and the caller holds
   * {@code privilege} on it; the creator owns it.
   */
  Asset<D> create(Caller caller, String catalogName, String schemaName, Privilege privilege, Drafter<D> drafter) {
    return jdbi.inTransaction(h -> {
      SecurableRow schema = SecurableStore.requireSchema(h, catalogName, schemaName);
      access.require(caller, schema, privilege);
      String id = Ids.newId();
      Draft<D> draft = drafter.draft(h, schema, id);
      SecurableRow row = store.insert(h, caller, type, schema, id, draft.row());
      writer.write(h, draft.detail());
      return new Asset<>(row, draft.detail());
    });
  }

  Asset<D> get(Caller caller, String fullName) {
    String name = SecurableStore.assetName(fieldName(), fullName);
    SecurableRow row = SecurableStore.find(jdbi, type, name);
    access.requireRead(caller, row);
    return ReadCaches.of(jdbi).get(new DetailOf(row), () -> jdbi.withHandle(h -> withDetail(h, row)));
  }

  private record DetailOf(SecurableRow row) {}

  /** One page of a schema's assets of this kind that the caller may see, details read in one query. */
  Page<Asset<D>> list(Caller caller, String catalogName, String schemaName, PageRequest request) {
    SecurableRow schema = jdbi.withHandle(h -> SecurableStore.requireSchema(h, catalogName, schemaName));
    Page<SecurableRow> page = access.listChildren(caller, schema, type, request);
    if (page.items().isEmpty()) {
      return new Page<>(List.of(), page.nextPageToken());
    }
    Map<String, D> byId = jdbi.withHandle(h -> details.load(h, page.items().stream().map(SecurableRow::id).toList()))
        .stream().collect(Collectors.toMap(Detail::securableId, Function.identity()));
    // A row deleted between the two reads has lost its detail: it is gone, so it is left out.
    List<Asset<D>> assets = page.items().stream()
        .filter(r -> byId.containsKey(r.id()))
        .map(r -> new Asset<>(r, byId.get(r.id())))
        .toList();
    return new Page<>(assets, page.nextPageToken());
  }

  Asset<D> update(Caller caller, String fullName, SecurableStore.Change change) {
    String name = SecurableStore.assetName(fieldName(), fullName);
    return jdbi.inTransaction(h -> {
      SecurableRow row = SecurableStore.require(h, type, name);
      access.requireManage(caller, row);
      return withDetail(h, store.update(h, caller, row, change));
    });
  }

  void delete(Caller caller, String fullName) {
    String name = SecurableStore.assetName(fieldName(), fullName);
    jdbi.useTransaction(h -> {
      SecurableRow row = SecurableStore.require(h, type, name);
      access.requireManage(caller, row);
      SecurableStore.delete(h, row, true);
    });
  }

  /**
   * Where a managed asset's files go: {@code <folder>/<id>} under the schema's storage location, or
   * the catalog's when the schema has none; null when neither has a storage root.
   */
  static String managedLocation(Handle h, SecurableRow schema, String folder, String id) {
    String base = schema.storageLocation();
    if (base == null) {
      base = h.attach(SecurableDao.class).findById(schema.parentId()).map(SecurableRow::storageLocation).orElse(null);
    }
    return base == null ? null : base + "/" + folder + "/" + id;
  }

  /** A storage location as given (null when absent), bounded like the column that keeps it. */
  static String storageLocation(String location) {
    return bounded("storage_location", location, MAX_LOCATION_LENGTH);
  }

  /**
   * A catalog's or schema's storage root as given (null when absent), short enough that the managed
   * locations made under it (root/__unitystorage/schemas/id, then /tables/id) fit their column.
   */
  static String storageRoot(String root) {
    return bounded("storage_root", root, MAX_STORAGE_ROOT_LENGTH);
  }

  private static String bounded(String field, String value, int max) {
    if (value == null) {
      return null;
    }
    Columns.require(!value.isBlank() && value.length() <= max && value.chars().noneMatch(Character::isISOControl),
        "'" + field + "' must be 1 to " + max + " characters without control characters.");
    return value;
  }

  private Asset<D> withDetail(Handle h, SecurableRow row) {
    List<D> found = details.load(h, List.of(row.id()));
    if (found.isEmpty()) {
      throw AccessControl.notFound(row);
    }
    return new Asset<>(row, found.get(0));
  }

  private String fieldName() {
    return type == SecurableType.TABLE ? "full_name" : "name";
  }
}
