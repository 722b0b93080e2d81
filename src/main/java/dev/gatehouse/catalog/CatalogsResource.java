package dev.gatehouse.catalog;

import dev.gatehouse.api.CatalogsApi;
import dev.gatehouse.api.model.CreateCatalog;
import dev.gatehouse.api.model.ListCatalogsResponse;
import dev.gatehouse.api.model.UpdateCatalog;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.securable.SecurableRow;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class CatalogsResource implements CatalogsApi {
  private final CatalogService catalogs;
  private final TagService tags;

  public CatalogsResource(CatalogService catalogs, TagService tags) {
    this.catalogs = catalogs;
    this.tags = tags;
  }

  @Override
  public Response createCatalog(CreateCatalog r) {
    var row = catalogs.createCatalog(Callers.current(),
        new CatalogService.NewSecurable(r.getName(), r.getComment(), r.getProperties(), r.getStorageRoot()));
    return ok(row);
  }

  @Override
  public Response listCatalogs(String pageToken, Integer maxResults) {
    var page = catalogs.listCatalogs(Callers.current(), PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListCatalogsResponse()
        .catalogs(tags.render(page.items(), r -> r, CatalogViews::catalog))
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getCatalog(String name) {
    return ok(catalogs.getCatalog(Callers.current(), name));
  }

  @Override
  public Response updateCatalog(String name, UpdateCatalog r) {
    var row = catalogs.updateCatalog(Callers.current(), name,
        new SecurableStore.Change(r.getNewName(), r.getOwner(), r.getComment(), r.getProperties()));
    return ok(row);
  }

  @Override
  public Response deleteCatalog(String name, Boolean force) {
    catalogs.deleteCatalog(Callers.current(), name, Boolean.TRUE.equals(force));
    return Response.ok(Map.of()).build();
  }

  private Response ok(SecurableRow row) {
    return Response.ok(tags.render(row, r -> r, CatalogViews::catalog)).build();
  }
}
