package dev.gatehouse.common;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Cost-attribution tags ({@code team=search,project=faq}): from a request's {@code x-gatehouse-tags}
 * header or an API key's defaults. Bounded so that a client cannot bloat the ledger: at most
 * {@link #MAX_TAGS} tags, keys lower-case identifiers, values without the separators.
 */
public final class CostTags {
  public static final String HEADER = "x-gatehouse-tags";
  public static final int MAX_TAGS = 10;
  private static final int MAX_HEADER = 2048;
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  private static final Pattern VALUE = Pattern.compile("[^,=\\p{Cntrl}]{1,128}");

  private CostTags() {}

  /** The tags of a header value (null or blank: none), sorted by key; 400 on anything malformed. */
  public static Map<String, String> parseHeader(String header) {
    if (header == null || header.isBlank()) {
      return Map.of();
    }
    if (header.length() > MAX_HEADER) {
      throw GatehouseException.invalid("'" + HEADER + "' is longer than " + MAX_HEADER + " characters.");
    }
    Map<String, String> tags = new TreeMap<>();
    for (String pair : header.split(",", -1)) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw GatehouseException.invalid("'" + HEADER + "' takes key=value pairs separated by commas.");
      }
      String key = pair.substring(0, eq).trim();
      if (tags.put(key, pair.substring(eq + 1).trim()) != null) {
        throw GatehouseException.invalid("The tag '" + key + "' is given twice in '" + HEADER + "'.");
      }
    }
    return validated(tags);
  }

  /** Checks keys and values and returns them sorted by key, keys lower-cased. */
  public static Map<String, String> validated(Map<String, String> given) {
    if (given == null || given.isEmpty()) {
      return Map.of();
    }
    if (given.size() > MAX_TAGS) {
      throw GatehouseException.invalid("At most " + MAX_TAGS + " cost tags are allowed.");
    }
    Map<String, String> tags = new TreeMap<>();
    given.forEach((rawKey, value) -> {
      String key = rawKey == null ? "" : rawKey.trim().toLowerCase(Locale.ROOT);
      if (!KEY.matcher(key).matches()) {
        throw GatehouseException.invalid("The tag key '" + rawKey
            + "' must start with a letter and hold only a-z, 0-9, '_', '.', '-' (at most 64 characters).");
      }
      String trimmed = value == null ? "" : value.trim();
      if (!VALUE.matcher(trimmed).matches()) {
        throw GatehouseException.invalid("The value of tag '" + key
            + "' must be 1 to 128 characters without ',' or '='.");
      }
      tags.put(key, trimmed);
    });
    return Collections.unmodifiableMap(tags);
  }

  /** The key's defaults with the request's tags on top: the request wins per tag key. */
  public static Map<String, String> merge(Map<String, String> defaults, Map<String, String> request) {
    if (defaults.isEmpty()) {
      return request;
    }
    Map<String, String> merged = new TreeMap<>(defaults);
    merged.putAll(request);
    return Collections.unmodifiableMap(merged);
  }
}
