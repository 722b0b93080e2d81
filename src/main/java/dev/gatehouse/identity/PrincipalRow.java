package dev.gatehouse.identity;

/**
 * A principal as stored. {@code name} is what grants and owners name: a user's userName, a service
 * principal's or a group's displayName.
 */
public record PrincipalRow(
    String id,
    PrincipalType principalType,
    String name,
    String displayName,
    String email,
    String applicationId,
    String externalId,
    boolean active,
    long createdAt,
    long updatedAt) {

  public String nameKey() {
    return PrincipalDao.key(name);
  }
}
