package dev.gatehouse.catalog;

import dev.gatehouse.api.SchemasApi;
import dev.gatehouse.api.model.CreateSchema;
import dev.gatehouse.api.model.ListSchemasResponse;
import dev.gatehouse.api.model.UpdateSchema;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class SchemasResource implements SchemasApi {
  private final CatalogService catalogs;

  public SchemasResource(CatalogService catalogs) {
    this.catalogs = catalogs;
  }

  @Override
  public Response createSchema(CreateSchema r) {
    var row = catalogs.createSchema(Callers.current(), r.getCatalogName(),
        new CatalogService.NewSecurable(r.getName(), r.getComment(), r.getProperties(), r.getStorageRoot()));
    return Response.ok(CatalogViews.schema(row)).build();
  }

  @Override
  public Response listSchemas(String catalogName, Integer maxResults, String pageToken) {
    var page = catalogs.listSchemas(Callers.current(), catalogName, PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListSchemasResponse()
        .schemas(page.items().stream().map(CatalogViews::schema).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getSchema(String fullName) {
    return Response.ok(CatalogViews.schema(catalogs.getSchema(Callers.current(), fullName))).build();
  }

  @Override
  public Response updateSchema(String fullName, UpdateSchema r) {
    var row = catalogs.updateSchema(Callers.current(), fullName,
        new CatalogService.Change(r.getNewName(), r.getOwner(), r.getComment(), r.getProperties()));
    return Response.ok(CatalogViews.schema(row)).build();
  }

  @Override
  public Response deleteSchema(String fullName, Boolean force) {
    catalogs.deleteSchema(Callers.current(), fullName, Boolean.TRUE.equals(force));
    return Response.ok(Map.of()).build();
  }
}
