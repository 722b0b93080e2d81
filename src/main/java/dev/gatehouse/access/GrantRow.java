package dev.gatehouse.access;

/** A stored grant with its principal's name. */
public record GrantRow(String securableId, String principalId, String principalName, String privilege) {}
