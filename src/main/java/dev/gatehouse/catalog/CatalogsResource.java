package dev.gatehouse.catalog;

import dev.gatehouse.api.CatalogsApi;
import dev.gatehouse.api.model.CreateCatalog;
import dev.gatehouse.api.model.ListCatalogsResponse;
import dev.gatehouse.api.model.UpdateCatalog;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class CatalogsResource implements CatalogsApi {
  private final CatalogService catalogs;

  public CatalogsResource(CatalogService catalogs) {
    this.catalogs = catalogs;
  }

  @Override
  public Response createCatalog(CreateCatalog r) {
    var row = catalogs.createCatalog(Callers.current(),
        new CatalogService.NewSecurable(r.getName(), r.getComment(), r.getProperties(), r.getStorageRoot()));
    return Response.ok(CatalogViews.catalog(row)).build();
  }

  @Override
  public Response listCatalogs(String pageToken, Integer maxResults) {
    var page = catalogs.listCatalogs(Callers.current(), PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListCatalogsResponse()
        .catalogs(page.items().stream().map(CatalogViews::catalog).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getCatalog(String name) {
    return Response.ok(CatalogViews.catalog(catalogs.getCatalog(Callers.current(), name))).build();
  }

  @Override
  public Response updateCatalog(String name, UpdateCatalog r) {
    var row = catalogs.updateCatalog(Callers.current(), name,
        new CatalogService.Change(r.getNewName(), r.getOwner(), r.getComment(), r.getProperties()));
    return Response.ok(CatalogViews.catalog(row)).build();
  }

  @Override
  public Response deleteCatalog(String name, Boolean force) {
    catalogs.deleteCatalog(Callers.current(), name, Boolean.TRUE.equals(force));
    return Response.ok(Map.of()).build();
  }
}
