package dev.gatehouse.access;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableLookup;
import dev.gatehouse.securable.SecurableRow;
import org.apache.shiro.authz.ModularRealmAuthorizer;
import org.apache.shiro.authz.Permission;
import org.apache.shiro.subject.PrincipalCollection;

/**
 * Shiro's authorizer, deciding {@link SecurablePermission}s with {@link AccessControl}, so that
 * {@code subject.isPermitted("EXECUTE:registered_model:demo.llm.assistant")} follows the grant rules.
 * Roles are group names ("admins" for metastore admins).
 */
public class GrantAuthorizer extends ModularRealmAuthorizer {
  private final AccessControl access;
  private final SecurableLookup securables;

  public GrantAuthorizer(AccessControl access, SecurableLookup securables) {
    this.access = access;
    this.securables = securables;
  }

  @Override
  public boolean isPermitted(PrincipalCollection principals, String permission) {
    SecurablePermission parsed = SecurablePermission.parse(permission);
    return parsed != null && isPermitted(principals, parsed);
  }

  @Override
  public boolean isPermitted(PrincipalCollection principals, Permission permission) {
    if (!(permission instanceof SecurablePermission p) || !(principals.getPrimaryPrincipal() instanceof Caller caller)) {
      return false;
    }
    try {
      SecurableRow row = securables.find(p.type().wireName(), p.fullName());
      return access.allows(caller, row, p.privilege());
    } catch (GatehouseException e) {
      return false;
    }
  }

  @Override
  public boolean hasRole(PrincipalCollection principals, String role) {
    return principals.getPrimaryPrincipal() instanceof Caller caller
        && (Caller.ADMINS_GROUP.equals(role) ? caller.admin() : caller.groupNames().contains(role));
  }
}
