package dev.gatehouse.identity;

import dev.gatehouse.common.GatehouseException;

/** Principal names (userName, displayName): 1 to 255 printable characters, no surrounding spaces. */
final class PrincipalNames {
  private PrincipalNames() {}

  static String require(String field, String value) {
    if (value == null || value.isBlank()) {
      throw GatehouseException.invalid("'" + field + "' is required.");
    }
    return check(field, value);
  }

  static String check(String field, String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > 255 || !value.equals(value.strip()) || value.chars().anyMatch(Character::isISOControl)) {
      throw GatehouseException.invalid("'" + field + "' must be 1 to 255 printable characters without surrounding spaces.");
    }
    return value;
  }
}
