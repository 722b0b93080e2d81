package dev.gatehouse.lineage;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.securable.SecurableType;
import java.util.Locale;

/** What a lineage node is: one of the securables that data flows through, or a dataset outside the catalog. */
enum NodeType {
  TABLE(SecurableType.TABLE),
  VOLUME(SecurableType.VOLUME),
  FUNCTION(SecurableType.FUNCTION),
  MODEL_VERSION(SecurableType.MODEL_VERSION),
  EXTERNAL(null);

  private final SecurableType securableType;

  NodeType(SecurableType securableType) {
    this.securableType = securableType;
  }

  SecurableType securableType() {
    return securableType;
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static NodeType of(SecurableType type) {
    for (NodeType t : values()) {
      if (t.securableType == type) {
        return t;
      }
    }
    throw GatehouseException.invalid("A " + type.wireName() + " has no lineage.");
  }

  static NodeType parse(String field, String wire) {
    if (wire != null) {
      for (NodeType t : values()) {
        if (t.wireName().equalsIgnoreCase(wire)) {
          return t;
        }
      }
    }
    throw GatehouseException.invalid("'" + field + "' must be one of table, volume, function, model_version, external.");
  }

  /**
   * The kinds of edge the model knows: data into a table (from a table, volume, external dataset or
   * the function that computes it), training data into a model version, a model version into the
   * version fine-tuned from it, and data written outside the catalog.
   */
  static boolean edgeAllowed(NodeType from, NodeType to) {
    return switch (to) {
      case TABLE -> from == TABLE || from == VOLUME || from == EXTERNAL || from == FUNCTION;
      case MODEL_VERSION -> from == TABLE || from == VOLUME || from == EXTERNAL || from == MODEL_VERSION;
      case EXTERNAL -> from == TABLE || from == VOLUME || from == EXTERNAL;
      default -> false;
    };
  }
}
