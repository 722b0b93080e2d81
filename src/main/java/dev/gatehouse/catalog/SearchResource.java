package dev.gatehouse.catalog;

import dev.gatehouse.api.SearchApi;
import dev.gatehouse.api.model.SearchMatch;
import dev.gatehouse.api.model.SearchResponse;
import dev.gatehouse.api.model.SearchResult;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Map;

public class SearchResource implements SearchApi {
  private final SearchService search;
  private final TagService tags;

  public SearchResource(SearchService search, TagService tags) {
    this.search = search;
    this.tags = tags;
  }

  @Override
  public Response search(String q, String securableType, String tag, Integer maxResults, String pageToken) {
    var page = search.search(Callers.current(), q, securableType, tag, PageRequest.of(maxResults, pageToken));
    return Response.ok(new SearchResponse()
        .results(tags.render(page.items(), SearchService.Result::row, SearchResource::result))
        .nextPageToken(page.nextPageToken())).build();
  }

  private static SearchResult result(SearchService.Result result, Map<String, String> tags) {
    var r = result.row();
    return new SearchResult()
        .securableType(r.securableType().wireName())
        .fullName(r.fullName())
        .name(r.name())
        .comment(r.comment())
        .owner(r.owner())
        .tags(tags)
        .match(result.match() == null ? null : SearchMatch.fromValue(result.match().name().toLowerCase(Locale.ROOT)));
  }
}
