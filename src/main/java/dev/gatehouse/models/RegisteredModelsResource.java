package dev.gatehouse.models;

import dev.gatehouse.api.RegisteredModelsApi;
import dev.gatehouse.api.model.CreateRegisteredModel;
import dev.gatehouse.api.model.ListRegisteredModelsResponse;
import dev.gatehouse.api.model.UpdateRegisteredModel;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class RegisteredModelsResource implements RegisteredModelsApi {
  private final RegisteredModelService models;

  public RegisteredModelsResource(RegisteredModelService models) {
    this.models = models;
  }

  @Override
  public Response createRegisteredModel(CreateRegisteredModel r) {
    var model = models.create(Callers.current(), r.getCatalogName(), r.getSchemaName(), r.getName(), r.getComment(),
        ModelViews.routes(r.getServingRoutes(), r.getFallbacks()));
    return Response.ok(ModelViews.model(model)).build();
  }

  @Override
  public Response listRegisteredModels(String catalogName, String schemaName, Integer maxResults, String pageToken) {
    var page = models.list(Callers.current(), catalogName, schemaName, PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListRegisteredModelsResponse()
        .registeredModels(page.items().stream().map(ModelViews::model).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getRegisteredModel(String fullName) {
    return Response.ok(ModelViews.model(models.get(Callers.current(), fullName))).build();
  }

  @Override
  public Response updateRegisteredModel(String fullName, UpdateRegisteredModel r) {
    var model = models.update(Callers.current(), fullName,
        new RegisteredModelService.Change(r.getNewName(), r.getOwner(), r.getComment(),
            ModelViews.routes(r.getServingRoutes(), r.getFallbacks())));
    return Response.ok(ModelViews.model(model)).build();
  }

  @Override
  public Response deleteRegisteredModel(String fullName, Boolean force) {
    models.delete(Callers.current(), fullName, Boolean.TRUE.equals(force));
    return Response.ok(Map.of()).build();
  }
}
