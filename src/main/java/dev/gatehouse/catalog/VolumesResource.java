package dev.gatehouse.catalog;

import dev.gatehouse.api.VolumesApi;
import dev.gatehouse.api.model.CreateVolumeRequestContent;
import dev.gatehouse.api.model.ListVolumesResponseContent;
import dev.gatehouse.api.model.UpdateVolumeRequestContent;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class VolumesResource implements VolumesApi {
  private final VolumeService volumes;
  private final TagService tags;

  public VolumesResource(VolumeService volumes, TagService tags) {
    this.volumes = volumes;
    this.tags = tags;
  }

  @Override
  public Response createVolume(CreateVolumeRequestContent r) {
    return ok(volumes.create(Callers.current(), r));
  }

  @Override
  public Response listVolumes(String catalogName, String schemaName, Integer maxResults, String pageToken) {
    var page = volumes.list(Callers.current(), catalogName, schemaName, PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListVolumesResponseContent()
        .volumes(tags.render(page.items(), Asset::row, VolumeViews::volume))
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getVolume(String name) {
    return ok(volumes.get(Callers.current(), name));
  }

  @Override
  public Response updateVolume(String name, UpdateVolumeRequestContent r) {
    return ok(volumes.update(Callers.current(), name, r.getNewName(), r.getComment(), r.getOwner()));
  }

  @Override
  public Response deleteVolume(String name) {
    volumes.delete(Callers.current(), name);
    return Response.ok(Map.of()).build();
  }

  private Response ok(Asset<VolumeDao.Detail> volume) {
    return Response.ok(tags.render(volume, Asset::row, VolumeViews::volume)).build();
  }
}
