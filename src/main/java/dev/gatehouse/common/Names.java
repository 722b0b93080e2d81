package dev.gatehouse.common;

import java.util.Locale;
import java.util.regex.Pattern;

/** Securable names: letters, digits and underscore, case-insensitive, stored lower-case. */
public final class Names {
  public static final int MAX_NAME_LENGTH = 255;
  public static final int MAX_COMMENT_LENGTH = 65_535;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,255}");

  private Names() {}

  /** Validates one name part and returns it lower-cased; 400 naming the field otherwise. */
  public static String normalize(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw GatehouseException.invalid("'" + field + "' is required.");
    }
    if (!NAME.matcher(name).matches()) {
      throw GatehouseException.invalid("'" + field + "' must be 1 to " + MAX_NAME_LENGTH
          + " letters, digits or underscores.");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** Splits a dotted full name into exactly {@code parts} validated, lower-cased names. */
  public static String[] parseFullName(String field, String fullName, int parts) {
    if (fullName == null || fullName.isEmpty()) {
      throw GatehouseException.invalid("'" + field + "' is required.");
    }
    String[] split = fullName.split("\\.", -1);
    if (split.length != parts) {
      throw GatehouseException.invalid("'" + field + "' must have " + parts + " dot-separated parts.");
    }
    for (int i = 0; i < split.length; i++) {
      split[i] = normalize(field, split[i]);
    }
    return split;
  }

  public static String comment(String comment) {
    if (comment != null && comment.length() > MAX_COMMENT_LENGTH) {
      throw GatehouseException.invalid("'comment' must be at most " + MAX_COMMENT_LENGTH + " characters.");
    }
    return comment;
  }
}
