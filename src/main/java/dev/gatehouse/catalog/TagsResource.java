package dev.gatehouse.catalog;

import dev.gatehouse.api.TagsApi;
import dev.gatehouse.api.model.SecurableTags;
import dev.gatehouse.api.model.UpdateTags;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;

public class TagsResource implements TagsApi {
  private final TagService tags;

  public TagsResource(TagService tags) {
    this.tags = tags;
  }

  @Override
  public Response getTags(String securableType, String fullName) {
    return ok(tags.get(Callers.current(), securableType, fullName));
  }

  @Override
  public Response updateTags(String securableType, String fullName, UpdateTags r) {
    return ok(tags.update(Callers.current(), securableType, fullName, r.getSet(), r.getUnset()));
  }

  private static Response ok(TagService.Tagged tagged) {
    return Response.ok(new SecurableTags()
        .securableType(tagged.row().securableType().wireName())
        .fullName(tagged.row().fullName())
        .tags(tagged.tags())).build();
  }
}
