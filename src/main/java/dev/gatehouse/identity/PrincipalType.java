package dev.gatehouse.identity;

/** The kinds of principal; all share one namespace of names. */
public enum PrincipalType {
  USER("User"),
  SERVICE_PRINCIPAL("ServicePrincipal"),
  GROUP("Group");

  private final String scimName;

  PrincipalType(String scimName) {
    this.scimName = scimName;
  }

  /** The SCIM resource type name ("User", "ServicePrincipal", "Group"). */
  public String scimName() {
    return scimName;
  }
}
