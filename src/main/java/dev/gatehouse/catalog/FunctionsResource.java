package dev.gatehouse.catalog;

import dev.gatehouse.api.FunctionsApi;
import dev.gatehouse.api.model.CreateFunctionRequest;
import dev.gatehouse.api.model.ListFunctionsResponse;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class FunctionsResource implements FunctionsApi {
  private final FunctionService functions;
  private final TagService tags;

  public FunctionsResource(FunctionService functions, TagService tags) {
    this.functions = functions;
    this.tags = tags;
  }

  @Override
  public Response createFunction(CreateFunctionRequest r) {
    return ok(functions.create(Callers.current(), r.getFunctionInfo()));
  }

  @Override
  public Response listFunctions(String catalogName, String schemaName, Integer maxResults, String pageToken) {
    var page = functions.list(Callers.current(), catalogName, schemaName, PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListFunctionsResponse()
        .functions(tags.render(page.items(), Asset::row, FunctionViews::function))
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getFunction(String name) {
    return ok(functions.get(Callers.current(), name));
  }

  @Override
  public Response deleteFunction(String name) {
    functions.delete(Callers.current(), name);
    return Response.ok(Map.of()).build();
  }

  private Response ok(Asset<FunctionDao.Detail> function) {
    return Response.ok(tags.render(function, Asset::row, FunctionViews::function)).build();
  }
}
