package dev.gatehouse.catalog;

import dev.gatehouse.api.model.VolumeInfo;
import dev.gatehouse.api.model.VolumeType;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.securable.SecurableRow;
import java.util.Map;

/** Stored volumes to Unity Catalog's VolumeInfo. */
final class VolumeViews {
  private VolumeViews() {}

  static VolumeInfo volume(Asset<VolumeDao.Detail> volume, Map<String, String> tags) {
    SecurableRow r = volume.row();
    String[] parts = r.fullName().split("\\.");
    return new VolumeInfo()
        .volumeId(r.id())
        .catalogName(parts[0])
        .schemaName(parts[1])
        .name(r.name())
        .fullName(r.fullName())
        .volumeType(VolumeType.fromValue(volume.detail().volumeType()))
        .storageLocation(r.storageLocation())
        .comment(r.comment())
        .owner(r.owner())
        .createdAt(r.createdAt())
        .createdBy(r.createdBy())
        .updatedAt(r.updatedAt())
        .updatedBy(r.updatedBy())
        .tags(tags);
  }
}
