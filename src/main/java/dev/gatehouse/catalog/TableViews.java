package dev.gatehouse.catalog;

import dev.gatehouse.api.model.ColumnInfo;
import dev.gatehouse.api.model.DataSourceFormat;
import dev.gatehouse.api.model.DependencyList;
import dev.gatehouse.api.model.TableInfo;
import dev.gatehouse.api.model.TableType;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.common.JsonText;
import dev.gatehouse.securable.SecurableRow;
import java.util.List;
import java.util.Map;

/** Stored tables to Unity Catalog's TableInfo. */
final class TableViews {
  private TableViews() {}

  static TableInfo table(Asset<TableDao.Detail> table, Map<String, String> tags) {
    SecurableRow r = table.row();
    TableDao.Detail d = table.detail();
    String[] parts = r.fullName().split("\\.");
    return new TableInfo()
        .tableId(r.id())
        .name(r.name())
        .catalogName(parts[0])
        .schemaName(parts[1])
        .fullName(r.fullName())
        .tableType(TableType.fromValue(d.tableType()))
        .dataSourceFormat(d.dataSourceFormat() == null ? null : DataSourceFormat.fromValue(d.dataSourceFormat()))
        .columns(List.of(JsonText.read(d.columnsJson(), ColumnInfo[].class)))
        .storageLocation(r.storageLocation())
        .comment(r.comment())
        .properties(r.propertiesMap())
        .owner(r.owner())
        .createdAt(r.createdAt())
        .createdBy(r.createdBy())
        .updatedAt(r.updatedAt())
        .updatedBy(r.updatedBy())
        .viewDefinition(d.viewDefinition())
        .viewDependencies(JsonText.read(d.viewDependencies(), DependencyList.class))
        .tags(tags);
  }
}
