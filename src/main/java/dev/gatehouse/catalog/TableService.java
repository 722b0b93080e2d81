package dev.gatehouse.catalog;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.api.model.ColumnInfo;
import dev.gatehouse.api.model.CreateTable;
import dev.gatehouse.api.model.TableType;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.common.JsonText;
import dev.gatehouse.common.Names;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableType;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Tables of a schema. EXTERNAL tables name their storage; MANAGED ones take the location of their
 * staging table when given, else one under the schema's (or catalog's) storage root; view-like
 * types carry a definition instead of storage.
 */
public class TableService {
  private static final Set<TableType> VIEW_TYPES =
      EnumSet.of(TableType.VIEW, TableType.MATERIALIZED_VIEW, TableType.STREAMING_TABLE, TableType.METRIC_VIEW);

  private final Assets<TableDao.Detail> assets;

  public TableService(Jdbi jdbi, Clock clock, AccessControl access) {
    this.assets = new Assets<>(jdbi, clock, access, SecurableType.TABLE,
        (h, ids) -> h.attach(TableDao.class).find(ids), (h, detail) -> h.attach(TableDao.class).insert(detail));
  }

  public Asset<TableDao.Detail> create(Caller caller, CreateTable r) {
    String name = Names.normalize("name", r.getName());
    Columns.require(r.getTableType() != null, "'table_type' is required.");
    List<ColumnInfo> columns = Columns.validate(r.getColumns());
    boolean view = VIEW_TYPES.contains(r.getTableType());
    String location = Assets.storageLocation(r.getStorageLocation());
    Columns.require(view == (r.getViewDefinition() != null && !r.getViewDefinition().isBlank()),
        "'view_definition' is required for view-like tables and not allowed for others.");
    Columns.require(!view || location == null, "A " + r.getTableType() + " has no 'storage_location'.");
    Columns.require(r.getTableType() != TableType.EXTERNAL || location != null,
        "An EXTERNAL table needs a 'storage_location'.");
    String properties = Properties.toJson(r.getProperties());
    return assets.create(caller, r.getCatalogName(), r.getSchemaName(), Privilege.CREATE_TABLE, (h, schema, id) -> {
      String storage = location != null || r.getTableType() != TableType.MANAGED ? location
          : Assets.managedLocation(h, schema, "tables", id);
      return new Assets.Draft<>(new SecurableStore.NewRow(name, r.getComment(), properties, null, storage),
          new TableDao.Detail(id, r.getTableType().toString(),
              r.getDataSourceFormat() == null ? null : r.getDataSourceFormat().toString(), JsonText.write(columns),
              r.getViewDefinition(), JsonText.write(r.getViewDependencies())));
    });
  }

  public Asset<TableDao.Detail> get(Caller caller, String fullName) {
    return assets.get(caller, fullName);
  }

  public Page<Asset<TableDao.Detail>> list(Caller caller, String catalogName, String schemaName, PageRequest page) {
    return assets.list(caller, catalogName, schemaName, page);
  }

  /** Changes comment, owner or properties (the extension PATCH); tables are not renamed here. */
  public Asset<TableDao.Detail> update(Caller caller, String fullName, String owner, String comment,
      Map<String, String> properties) {
    return assets.update(caller, fullName, new SecurableStore.Change(null, owner, comment, properties));
  }

  public void delete(Caller caller, String fullName) {
    assets.delete(caller, fullName);
  }
}
