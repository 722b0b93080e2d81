package dev.gatehouse.catalog;

import dev.gatehouse.api.SchemasApi;
import dev.gatehouse.api.model.CreateSchema;
import dev.gatehouse.api.model.ListSchemasResponse;
import dev.gatehouse.api.model.UpdateSchema;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.securable.SecurableRow;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class SchemasResource implements SchemasApi {
  private final CatalogService catalogs;
  private final TagService tags;

  public SchemasResource(CatalogService catalogs, TagService tags) {
    this.catalogs = catalogs;
    this.tags = tags;
  }

  @Override
  public Response createSchema(CreateSchema r) {
    var row = catalogs.createSchema(Callers.current(), r.getCatalogName(),
        new CatalogService.NewSecurable(r.getName(), r.getComment(), r.getProperties(), r.getStorageRoot()));
    return ok(row);
  }

  @Override
  public Response listSchemas(String catalogName, Integer maxResults, String pageToken) {
    var page = catalogs.listSchemas(Callers.current(), catalogName, PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListSchemasResponse()
        .schemas(tags.render(page.items(), r -> r, CatalogViews::schema))
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getSchema(String fullName) {
    return ok(catalogs.getSchema(Callers.current(), fullName));
  }

  @Override
  public Response updateSchema(String fullName, UpdateSchema r) {
    var row = catalogs.updateSchema(Callers.current(), fullName,
        new SecurableStore.Change(r.getNewName(), r.getOwner(), r.getComment(), r.getProperties()));
    return ok(row);
  }

  @Override
  public Response deleteSchema(String fullName, Boolean force) {
    catalogs.deleteSchema(Callers.current(), fullName, Boolean.TRUE.equals(force));
    return Response.ok(Map.of()).build();
  }

  private Response ok(SecurableRow row) {
    return Response.ok(tags.render(row, r -> r, CatalogViews::schema)).build();
  }
}
