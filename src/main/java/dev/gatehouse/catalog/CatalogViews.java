package dev.gatehouse.catalog;

import dev.gatehouse.api.model.CatalogInfo;
import dev.gatehouse.api.model.SchemaInfo;
import dev.gatehouse.securable.SecurableRow;

/** Rows to Unity Catalog's CatalogInfo and SchemaInfo. */
final class CatalogViews {
  private CatalogViews() {}

  static CatalogInfo catalog(SecurableRow r) {
    return new CatalogInfo()
        .id(r.id())
        .name(r.name())
        .comment(r.comment())
        .properties(r.propertiesMap())
        .owner(r.owner())
        .storageRoot(r.storageRoot())
        .storageLocation(r.storageLocation())
        .createdAt(r.createdAt())
        .createdBy(r.createdBy())
        .updatedAt(r.updatedAt())
        .updatedBy(r.updatedBy());
  }

  static SchemaInfo schema(SecurableRow r) {
    return new SchemaInfo()
        .schemaId(r.id())
        .name(r.name())
        .catalogName(r.fullName().substring(0, r.fullName().indexOf('.')))
        .fullName(r.fullName())
        .comment(r.comment())
        .properties(r.propertiesMap())
        .owner(r.owner())
        .storageRoot(r.storageRoot())
        .storageLocation(r.storageLocation())
        .createdAt(r.createdAt())
        .createdBy(r.createdBy())
        .updatedAt(r.updatedAt())
        .updatedBy(r.updatedBy());
  }
}
