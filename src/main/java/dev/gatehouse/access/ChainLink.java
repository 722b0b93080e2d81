package dev.gatehouse.access;

import dev.gatehouse.securable.SecurableType;

/**
 * One row of a securable's ancestry joined with one of the caller's grants there: depth 0 is the
 * securable itself, then its parent, up to the metastore. {@code privilege} is null where the
 * caller holds nothing at that level. {@code targetHasChildren} is about the securable at depth 0
 * (the same on every link): without children nothing can be held or owned inside it.
 */
public record ChainLink(String id, SecurableType securableType, String fullName, String owner, int depth,
    String privilege, boolean targetHasChildren) {}
