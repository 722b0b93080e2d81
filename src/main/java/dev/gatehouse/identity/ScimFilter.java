package dev.gatehouse.identity;

import dev.gatehouse.common.GatehouseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SCIM filters served: {@code <attribute> eq "<value>"} on an indexed attribute. */
public record ScimFilter(String attribute, String value) {
  private static final Pattern EQ = Pattern.compile("^\\s*([A-Za-z]+)\\s+eq\\s+\"((?:[^\"\\\\]|\\\\.)*)\"\\s*$",
      Pattern.CASE_INSENSITIVE);

  /** Parses {@code filter}; null when absent; 400 for anything but eq on one of {@code attributes}. */
  public static ScimFilter parse(String filter, Set<String> attributes) {
    if (filter == null || filter.isBlank()) {
      return null;
    }
    Matcher m = EQ.matcher(filter);
    if (!m.matches()) {
      throw GatehouseException.invalid("Unsupported filter; use: <attribute> eq \"<value>\".");
    }
    String attribute = m.group(1);
    String canonical = attributes.stream()
        .filter(a -> a.equalsIgnoreCase(attribute))
        .findFirst()
        .orElseThrow(() -> GatehouseException.invalid("Filtering on '" + attribute + "' is not supported; use one of "
            + attributes + "."));
    String value = m.group(2).replaceAll("\\\\(.)", "$1");
    return new ScimFilter(canonical, value);
  }

  public String lowerValue() {
    return value.toLowerCase(Locale.ROOT);
  }
}
