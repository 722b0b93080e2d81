package dev.gatehouse.access;

import dev.gatehouse.api.GrantsApi;
import dev.gatehouse.api.model.EffectivePermissionsList;
import dev.gatehouse.api.model.EffectivePrivilege;
import dev.gatehouse.api.model.EffectivePrivilegeAssignment;
import dev.gatehouse.api.model.PermissionsList;
import dev.gatehouse.api.model.PrivilegeAssignment;
import dev.gatehouse.api.model.UpdatePermissions;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.securable.SecurableLookup;
import jakarta.ws.rs.core.Response;
import java.util.List;

public class GrantsResource implements GrantsApi {
  private final GrantService grants;
  private final SecurableLookup securables;

  public GrantsResource(GrantService grants, SecurableLookup securables) {
    this.grants = grants;
    this.securables = securables;
  }

  @Override
  public Response getPermissions(String securableType, String fullName, String principal) {
    var caller = Callers.current();
    return Response.ok(permissions(grants.list(caller, securables.find(securableType, fullName), principal))).build();
  }

  @Override
  public Response updatePermissions(String securableType, String fullName, UpdatePermissions request) {
    var caller = Callers.current();
    var changes = request.getChanges() == null ? List.<GrantService.Change>of() : request.getChanges().stream()
        .map(c -> new GrantService.Change(c.getPrincipal(), c.getAdd(), c.getRemove()))
        .toList();
    return Response.ok(permissions(grants.update(caller, securables.find(securableType, fullName), changes))).build();
  }

  @Override
  public Response getEffectivePermissions(String securableType, String fullName, String principal) {
    var caller = Callers.current();
    var effective = grants.effective(caller, securables.find(securableType, fullName), principal);
    var privileges = effective.privileges().stream()
        .map(e -> new EffectivePrivilege().privilege(e.privilege())
            .inheritedFromType(e.fromType() == null ? null : e.fromType().wireName())
            .inheritedFromName(e.fromName()))
        .toList();
    return Response.ok(new EffectivePermissionsList().privilegeAssignments(
        List.of(new EffectivePrivilegeAssignment().principal(effective.principal()).privileges(privileges)))).build();
  }

  private static PermissionsList permissions(List<GrantService.Assignment> assignments) {
    return new PermissionsList().privilegeAssignments(assignments.stream()
        .map(a -> new PrivilegeAssignment().principal(a.principal()).privileges(a.privileges()))
        .toList());
  }
}
