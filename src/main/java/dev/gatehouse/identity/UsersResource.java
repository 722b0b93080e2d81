package dev.gatehouse.identity;

import dev.gatehouse.api.UsersApi;
import dev.gatehouse.api.model.ScimEmail;
import dev.gatehouse.api.model.ScimPatchRequest;
import dev.gatehouse.api.model.ScimUser;
import dev.gatehouse.api.model.ScimUserList;
import jakarta.ws.rs.core.Response;
import java.util.Set;

public class UsersResource implements UsersApi {
  private static final Set<String> FILTERS = Set.of("userName", "displayName");
  private final IdentityService identity;

  public UsersResource(IdentityService identity) {
    this.identity = identity;
  }

  @Override
  public Response createUser(ScimUser u) {
    String email = u.getEmails() == null ? null
        : u.getEmails().stream().filter(e -> Boolean.TRUE.equals(e.getPrimary())).findFirst()
            .or(() -> u.getEmails().stream().findFirst()).map(ScimEmail::getValue).orElse(null);
    PrincipalRow row = identity.create(Callers.current(), new IdentityService.NewPrincipal(PrincipalType.USER,
        u.getUserName(), u.getDisplayName(), email, null, u.getExternalId(), u.getActive(), null));
    return Response.status(201).entity(ScimViews.user(row, java.util.List.of())).build();
  }

  @Override
  public Response getSelf() {
    return getUser(Callers.current().principalId());
  }

  @Override
  public Response getUser(String id) {
    PrincipalRow row = identity.get(PrincipalType.USER, id);
    return Response.ok(ScimViews.user(row, identity.directGroups(row.id()))).build();
  }

  @Override
  public Response listUsers(String filter, Integer startIndex, Integer count) {
    var listing = identity.list(PrincipalType.USER, ScimFilter.parse(filter, FILTERS), startIndex, count);
    return Response.ok(new ScimUserList()
        .schemas(java.util.List.of(ScimViews.LIST_SCHEMA))
        .totalResults(listing.total())
        .startIndex(listing.startIndex())
        .itemsPerPage(listing.rows().size())
        .resources(listing.rows().stream().map(r -> ScimViews.user(r, identity.directGroups(r.id()))).toList()))
        .build();
  }

  @Override
  public Response patchUser(String id, ScimPatchRequest patch) {
    PrincipalRow row = identity.patch(Callers.current(), PrincipalType.USER, id, ScimPatch.read(patch.getOperations()));
    return Response.ok(ScimViews.user(row, identity.directGroups(row.id()))).build();
  }

  @Override
  public Response deleteUser(String id) {
    identity.delete(Callers.current(), PrincipalType.USER, id);
    return Response.noContent().build();
  }
}
