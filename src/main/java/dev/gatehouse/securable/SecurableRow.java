package dev.gatehouse.securable;

import dev.gatehouse.common.JsonText;
import java.util.Map;

/** One securable as stored; {@code properties} is a JSON object of strings. */
public record SecurableRow(
    String id,
    SecurableType securableType,
    String parentId,
    String name,
    String fullName,
    String owner,
    String comment,
    String properties,
    String storageRoot,
    String storageLocation,
    long createdAt,
    String createdBy,
    Long updatedAt,
    String updatedBy) {

  public static final String METASTORE_ID = "00000000-0000-0000-0000-000000000001";

  public Map<String, String> propertiesMap() {
    return JsonText.readStringMap(properties);
  }

  public SecurableRow withUpdate(String newName, String newFullName, String newOwner, String newComment,
      String newProperties, long now, String by) {
    return new SecurableRow(id, securableType, parentId, newName, newFullName, newOwner, newComment, newProperties,
        storageRoot, storageLocation, createdAt, createdBy, now, by);
  }
}
