package dev.gatehouse.models;

import java.util.List;

/** A model version as served: its row and the aliases pointing to it, ordered by name. */
public record ModelVersion(ModelVersionRow row, List<ModelAlias> aliases) {}
