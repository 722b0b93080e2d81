package dev.gatehouse.identity;

/** An API key as stored: never the secret, only its SHA-256. */
public record ApiKeyRow(
    String id,
    String principalId,
    String name,
    String prefix,
    String secretHash,
    long createdAt,
    String createdBy,
    Long expiresAt,
    Long revokedAt,
    Long lastUsedAt) {

  public boolean usableAt(long now) {
    return revokedAt == null && (expiresAt == null || expiresAt > now);
  }
}
