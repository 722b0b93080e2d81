package dev.gatehouse.identity;

import dev.gatehouse.api.ApiKeysApi;
import dev.gatehouse.api.model.CreateApiKey;
import dev.gatehouse.api.model.ListApiKeysResponse;
import dev.gatehouse.common.PageRequest;
import jakarta.ws.rs.core.Response;

public class ApiKeysResource implements ApiKeysApi {
  private final ApiKeyService keys;

  public ApiKeysResource(ApiKeyService keys) {
    this.keys = keys;
  }

  @Override
  public Response createApiKey(CreateApiKey request) {
    var created = keys.create(Callers.current(), request.getName(), request.getPrincipal(), request.getExpiresAt(),
        request.getDefaultTags());
    return Response.ok(ScimViews.createdApiKey(created)).build();
  }

  @Override
  public Response listApiKeys(String principal, Integer maxResults, String pageToken) {
    var page = keys.list(Callers.current(), principal, PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListApiKeysResponse()
        .apiKeys(page.items().stream().map(ScimViews::apiKey).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getApiKey(String id) {
    return Response.ok(ScimViews.apiKey(keys.get(Callers.current(), id))).build();
  }

  @Override
  public Response revokeApiKey(String id) {
    return Response.ok(ScimViews.apiKey(keys.revoke(Callers.current(), id))).build();
  }
}
