package dev.gatehouse.access;

import dev.gatehouse.securable.SecurableType;

/**
 * One row of a securable's ancestry joined with one of the caller's grants there: depth 0 is the
 * securable itself, then its parent, up to the metastore. {@code privilege} is null where the
 * caller holds nothing at that level.
 */
public record ChainLink(String id, SecurableType securableType, String fullName, String owner, int depth,
    String privilege) {}
