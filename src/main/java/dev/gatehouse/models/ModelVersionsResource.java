package dev.gatehouse.models;

import dev.gatehouse.api.ModelVersionsApi;
import dev.gatehouse.api.model.CreateModelVersion;
import dev.gatehouse.api.model.FinalizeModelVersion;
import dev.gatehouse.api.model.ListModelVersionsResponse;
import dev.gatehouse.api.model.UpdateModelVersion;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class ModelVersionsResource implements ModelVersionsApi {
  private final ModelVersionService versions;

  public ModelVersionsResource(ModelVersionService versions) {
    this.versions = versions;
  }

  @Override
  public Response createModelVersion(CreateModelVersion r) {
    var version = versions.create(Callers.current(), new ModelVersionService.NewVersion(r.getCatalogName(),
        r.getSchemaName(), r.getModelName(), r.getSource(), r.getRunId(), r.getComment(),
        ModelViews.servingSpec(r.getServing())));
    return Response.ok(ModelViews.version(version)).build();
  }

  @Override
  public Response listModelVersions(String fullName, Integer maxResults, String pageToken) {
    var page = versions.list(Callers.current(), fullName, PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListModelVersionsResponse()
        .modelVersions(page.items().stream().map(ModelViews::version).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getModelVersion(String fullName, Long version) {
    return Response.ok(ModelViews.version(versions.get(Callers.current(), fullName, version))).build();
  }

  @Override
  public Response updateModelVersion(String fullName, Long version, UpdateModelVersion r) {
    var updated = versions.update(Callers.current(), fullName, version,
        new ModelVersionService.Change(r.getComment(), r.getSource(), r.getRunId()));
    return Response.ok(ModelViews.version(updated)).build();
  }

  @Override
  public Response finalizeModelVersion(String fullName, Long version, FinalizeModelVersion r) {
    var finalized = versions.finalizeVersion(Callers.current(), fullName, version, r.getFullName(), r.getVersion(),
        ModelViews.status(r.getStatus()));
    return Response.ok(ModelViews.version(finalized)).build();
  }

  @Override
  public Response deleteModelVersion(String fullName, Long version, Boolean force) {
    versions.delete(Callers.current(), fullName, version, Boolean.TRUE.equals(force));
    return Response.ok(Map.of()).build();
  }
}
