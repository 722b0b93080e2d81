package dev.gatehouse.models;

import java.util.List;

/**
 * A model version as served: its row, the aliases pointing to it (ordered by name), and how it
 * serves through the gateway (null for a version that does not serve).
 */
public record ModelVersion(ModelVersionRow row, List<ModelAlias> aliases, ServingSpec serving) {}
