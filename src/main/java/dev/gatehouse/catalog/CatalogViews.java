package dev.gatehouse.catalog;

import dev.gatehouse.api.model.CatalogInfo;
import dev.gatehouse.api.model.SchemaInfo;
import dev.gatehouse.securable.SecurableRow;
import java.util.Map;

/** Rows to Unity Catalog's CatalogInfo and SchemaInfo, with their tags (an extension). */
final class CatalogViews {
  private CatalogViews() {}

  static CatalogInfo catalog(SecurableRow r, Map<String, String> tags) {
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
        .updatedBy(r.updatedBy())
        .tags(tags);
  }

  static SchemaInfo schema(SecurableRow r, Map<String, String> tags) {
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
        .updatedBy(r.updatedBy())
        .tags(tags);
  }
}
