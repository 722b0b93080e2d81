package dev.gatehouse.models;

import dev.gatehouse.securable.SecurableRow;
import java.util.List;

/** A registered model as served: its securable row and all its aliases, ordered by name. */
public record RegisteredModel(SecurableRow row, List<ModelAlias> aliases, ServingRoutes serving) {}
