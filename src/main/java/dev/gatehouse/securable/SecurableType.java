package dev.gatehouse.securable;

import java.util.Locale;

/**
 * The kinds of securable, as stored in securables.securable_type. The wire name is the lower-case
 * form used in paths such as {@code /permissions/{securable_type}/{full_name}}.
 */
public enum SecurableType {
  METASTORE,
  CATALOG,
  SCHEMA,
  TABLE,
  VOLUME,
  FUNCTION,
  REGISTERED_MODEL,
  MODEL_VERSION,
  CONNECTION;

  /** How messages name this kind: "Catalog", "Registered model" ... */
  public String label() {
    String lower = name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name ("table", "registered_model"; "model" is accepted for registered_model). */
  public static SecurableType fromWire(String value) {
    if (value == null) {
      return null;
    }
    String v = value.toUpperCase(Locale.ROOT);
    if (v.equals("MODEL")) {
      return REGISTERED_MODEL;
    }
    for (SecurableType t : values()) {
      if (t.name().equals(v)) {
        return t;
      }
    }
    return null;
  }
}
