package dev.gatehouse.identity;

import dev.gatehouse.api.GroupsApi;
import dev.gatehouse.api.model.ScimGroup;
import dev.gatehouse.api.model.ScimGroupList;
import dev.gatehouse.api.model.ScimMember;
import dev.gatehouse.api.model.ScimPatchRequest;
import dev.gatehouse.common.GatehouseException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;

public class GroupsResource implements GroupsApi {
  private static final Set<String> FILTERS = Set.of("displayName");
  private final IdentityService identity;

  public GroupsResource(IdentityService identity) {
    this.identity = identity;
  }

  @Override
  public Response createGroup(ScimGroup g) {
    List<String> members = g.getMembers() == null ? List.of() : g.getMembers().stream()
        .map(ScimMember::getValue)
        .map(v -> {
          if (v == null || v.isBlank()) {
            throw GatehouseException.invalid("Each member needs 'value', the member's id.");
          }
          return v;
        })
        .toList();
    PrincipalRow row = identity.create(Callers.current(), new IdentityService.NewPrincipal(PrincipalType.GROUP,
        g.getDisplayName(), g.getDisplayName(), null, null, g.getExternalId(), true, members));
    return Response.status(201).entity(ScimViews.group(row, identity.directMembers(row.id()))).build();
  }

  @Override
  public Response getGroup(String id) {
    PrincipalRow row = identity.get(PrincipalType.GROUP, id);
    return Response.ok(ScimViews.group(row, identity.directMembers(row.id()))).build();
  }

  @Override
  public Response listGroups(String filter, Integer startIndex, Integer count) {
    var listing = identity.list(PrincipalType.GROUP, ScimFilter.parse(filter, FILTERS), startIndex, count);
    return Response.ok(new ScimGroupList()
        .schemas(List.of(ScimViews.LIST_SCHEMA))
        .totalResults(listing.total())
        .startIndex(listing.startIndex())
        .itemsPerPage(listing.rows().size())
        .resources(listing.rows().stream().map(r -> ScimViews.group(r, identity.directMembers(r.id()))).toList()))
        .build();
  }

  @Override
  public Response patchGroup(String id, ScimPatchRequest patch) {
    PrincipalRow row = identity.patch(Callers.current(), PrincipalType.GROUP, id, ScimPatch.read(patch.getOperations()));
    return Response.ok(ScimViews.group(row, identity.directMembers(row.id()))).build();
  }

  @Override
  public Response deleteGroup(String id) {
    identity.delete(Callers.current(), PrincipalType.GROUP, id);
    return Response.noContent().build();
  }
}
