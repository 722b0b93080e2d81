package dev.gatehouse.catalog;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.api.model.CreateVolumeRequestContent;
import dev.gatehouse.api.model.VolumeType;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.common.Names;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableType;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * Volumes of a schema. An EXTERNAL volume names its storage; a MANAGED one is given a location
 * under the schema's (or catalog's) storage root and may not choose it.
 */
public class VolumeService {
  private final Assets<VolumeDao.Detail> assets;

  public VolumeService(Jdbi jdbi, Clock clock, AccessControl access) {
    this.assets = new Assets<>(jdbi, clock, access, SecurableType.VOLUME,
        (h, ids) -> h.attach(VolumeDao.class).find(ids), (h, detail) -> h.attach(VolumeDao.class).insert(detail));
  }

  public Asset<VolumeDao.Detail> create(Caller caller, CreateVolumeRequestContent r) {
    String name = Names.normalize("name", r.getName());
    Columns.require(r.getVolumeType() != null, "'volume_type' is required.");
    String location = Assets.storageLocation(r.getStorageLocation());
    boolean external = r.getVolumeType() == VolumeType.EXTERNAL;
    Columns.require(external == (location != null),
        "An EXTERNAL volume needs a 'storage_location'; a MANAGED volume may not give one.");
    return assets.create(caller, r.getCatalogName(), r.getSchemaName(), Privilege.CREATE_VOLUME, (h, schema, id) ->
        new Assets.Draft<>(new SecurableStore.NewRow(name, r.getComment(), null, null,
            external ? location : Assets.managedLocation(h, schema, "volumes", id)),
            new VolumeDao.Detail(id, r.getVolumeType().toString())));
  }

  public Asset<VolumeDao.Detail> get(Caller caller, String fullName) {
    return assets.get(caller, fullName);
  }

  public Page<Asset<VolumeDao.Detail>> list(Caller caller, String catalogName, String schemaName, PageRequest page) {
    return assets.list(caller, catalogName, schemaName, page);
  }

  /** Renames within the schema, changes the comment or (an extension) the owner. */
  public Asset<VolumeDao.Detail> update(Caller caller, String fullName, String newName, String comment, String owner) {
    return assets.update(caller, fullName, new SecurableStore.Change(newName, owner, comment, null));
  }

  public void delete(Caller caller, String fullName) {
    assets.delete(caller, fullName);
  }
}
