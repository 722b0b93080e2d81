package dev.gatehouse.identity;

import java.security.Principal;
import java.util.Set;

/**
 * The authenticated principal behind a request: who it is, through which key, and the groups it
 * belongs to (transitively) as resolved when the key was checked.
 */
public record Caller(
    String principalId,
    String name,
    PrincipalType type,
    String keyId,
    Set<String> groupIds,
    Set<String> groupNames,
    boolean admin) implements Principal {

  public static final String ADMINS_GROUP = "admins";
  public static final String AUDITORS_GROUP = "auditors";

  @Override
  public String getName() {
    return name;
  }

  /** The caller and every group it belongs to: the principals whose grants apply to it. */
  public Set<String> principalIds() {
    var all = new java.util.HashSet<String>(groupIds);
    all.add(principalId);
    return all;
  }
}
