package dev.gatehouse.catalog;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.JsonText;
import java.util.Map;

/** Validation of securable properties maps: bounded count and sizes. */
final class Properties {
  static final int MAX_ENTRIES = 256;
  static final int MAX_KEY_LENGTH = 255;
  static final int MAX_VALUE_LENGTH = 4096;

  private Properties() {}

  static String toJson(Map<String, String> properties) {
    if (properties == null) {
      return null;
    }
    if (properties.size() > MAX_ENTRIES) {
      throw GatehouseException.invalid("At most " + MAX_ENTRIES + " properties.");
    }
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().length() > MAX_KEY_LENGTH) {
        throw GatehouseException.invalid("Property keys must be 1 to " + MAX_KEY_LENGTH + " characters.");
      }
      if (e.getValue() == null || e.getValue().length() > MAX_VALUE_LENGTH) {
        throw GatehouseException.invalid("Property '" + e.getKey() + "' needs a value of at most "
            + MAX_VALUE_LENGTH + " characters.");
      }
    }
    return JsonText.write(properties);
  }
}
