package dev.gatehouse.models;

/** One alias of a registered model and the version number it points to. */
public record ModelAlias(String modelId, String aliasName, long versionNum) {}
