package dev.gatehouse.identity;

import dev.gatehouse.api.ServicePrincipalsApi;
import dev.gatehouse.api.model.ScimPatchRequest;
import dev.gatehouse.api.model.ScimServicePrincipal;
import dev.gatehouse.api.model.ScimServicePrincipalList;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;

public class ServicePrincipalsResource implements ServicePrincipalsApi {
  private static final Set<String> FILTERS = Set.of("displayName", "applicationId");
  private final IdentityService identity;

  public ServicePrincipalsResource(IdentityService identity) {
    this.identity = identity;
  }

  @Override
  public Response createServicePrincipal(ScimServicePrincipal sp) {
    PrincipalRow row = identity.create(Callers.current(), new IdentityService.NewPrincipal(
        PrincipalType.SERVICE_PRINCIPAL, sp.getDisplayName(), sp.getDisplayName(), null, sp.getApplicationId(),
        sp.getExternalId(), sp.getActive(), null));
    return Response.status(201).entity(ScimViews.servicePrincipal(row, List.of())).build();
  }

  @Override
  public Response getServicePrincipal(String id) {
    PrincipalRow row = identity.get(PrincipalType.SERVICE_PRINCIPAL, id);
    return Response.ok(ScimViews.servicePrincipal(row, identity.directGroups(row.id()))).build();
  }

  @Override
  public Response listServicePrincipals(String filter, Integer startIndex, Integer count) {
    var listing = identity.list(PrincipalType.SERVICE_PRINCIPAL, ScimFilter.parse(filter, FILTERS), startIndex, count);
    return Response.ok(new ScimServicePrincipalList()
        .schemas(List.of(ScimViews.LIST_SCHEMA))
        .totalResults(listing.total())
        .startIndex(listing.startIndex())
        .itemsPerPage(listing.rows().size())
        .resources(listing.rows().stream()
            .map(r -> ScimViews.servicePrincipal(r, identity.directGroups(r.id()))).toList()))
        .build();
  }

  @Override
  public Response patchServicePrincipal(String id, ScimPatchRequest patch) {
    PrincipalRow row = identity.patch(Callers.current(), PrincipalType.SERVICE_PRINCIPAL, id,
        ScimPatch.read(patch.getOperations()));
    return Response.ok(ScimViews.servicePrincipal(row, identity.directGroups(row.id()))).build();
  }

  @Override
  public Response deleteServicePrincipal(String id) {
    identity.delete(Callers.current(), PrincipalType.SERVICE_PRINCIPAL, id);
    return Response.noContent().build();
  }
}
