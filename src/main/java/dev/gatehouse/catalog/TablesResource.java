package dev.gatehouse.catalog;

import dev.gatehouse.api.TablesApi;
import dev.gatehouse.api.model.CreateTable;
import dev.gatehouse.api.model.ListTablesResponse;
import dev.gatehouse.api.model.UpdateTable;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class TablesResource implements TablesApi {
  private final TableService tables;
  private final TagService tags;

  public TablesResource(TableService tables, TagService tags) {
    this.tables = tables;
    this.tags = tags;
  }

  @Override
  public Response createTable(CreateTable r) {
    return ok(tables.create(Callers.current(), r));
  }

  @Override
  public Response listTables(String catalogName, String schemaName, Integer maxResults, String pageToken) {
    var page = tables.list(Callers.current(), catalogName, schemaName, PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListTablesResponse()
        .tables(tags.render(page.items(), Asset::row, TableViews::table))
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getTable(String fullName, Boolean readStreamingTableAsManaged, Boolean readMaterializedViewAsManaged) {
    return ok(tables.get(Callers.current(), fullName));
  }

  @Override
  public Response updateTable(String fullName, UpdateTable r) {
    return ok(tables.update(Callers.current(), fullName, r.getOwner(), r.getComment(), r.getProperties()));
  }

  @Override
  public Response deleteTable(String fullName) {
    tables.delete(Callers.current(), fullName);
    return Response.ok(Map.of()).build();
  }

  private Response ok(Asset<TableDao.Detail> table) {
    return Response.ok(tags.render(table, Asset::row, TableViews::table)).build();
  }
}
