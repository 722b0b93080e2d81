package dev.gatehouse.gateway;

import dev.gatehouse.common.GatehouseException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A connection's options, validated. The api_key is not among them: it is split off on the way in
 * and kept encrypted. Unknown option names are refused, so that a typo does not silently do nothing.
 */
public record ConnectionOptions(Map<String, String> values) {
  public static final String API_KEY = "api_key";
  public static final String HEADER_PREFIX = "header.";
  private static final Set<String> NUMERIC = Set.of("connect_timeout_ms", "first_byte_timeout_ms", "idle_timeout_ms",
      "max_retries", "latency_ms", "tokens_per_second", "completion_tokens");
  private static final Set<String> TEXT = Set.of("base_url", "api_version", "organization");
  /** Headers that frame the HTTP exchange itself: the gateway sets them, a connection may not. */
  private static final Set<String> FRAMING_HEADERS = Set.of("host", "content-length", "transfer-encoding",
      "connection", "keep-alive", "upgrade", "expect", "te", "trailer", "proxy-connection");

  /** Validates {@code given} (without api_key) for a connection of {@code type}. */
  public static ConnectionOptions validate(ConnectionType type, Map<String, String> given) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : (given == null ? Map.<String, String>of() : given).entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (value == null || value.length() > 4096) {
        throw GatehouseException.invalid("Option '" + name + "' needs a value of at most 4096 characters.");
      }
      if (NUMERIC.contains(name)) {
        requireNumber(name, value);
      } else if (name.equals("base_url")) {
        requireHttpUrl(value);
      } else if (name.startsWith(HEADER_PREFIX)) {
        requireExtraHeader(name.substring(HEADER_PREFIX.length()));
      } else if (!TEXT.contains(name)) {
        throw GatehouseException.invalid("Unknown connection option '" + name + "'.");
      }
      values.put(name, value);
    }
    if (type == ConnectionType.OPENAI_COMPATIBLE && !values.containsKey("base_url")) {
      throw GatehouseException.invalid("An OPENAI_COMPATIBLE connection needs option 'base_url'.");
    }
    return new ConnectionOptions(Map.copyOf(values));
  }

  public String baseUrl(ConnectionType type) {
    String url = values.getOrDefault("base_url", type.defaultBaseUrl());
    return url == null ? null : url.replaceAll("/+$", "");
  }

  public long number(String name, long defaultValue) {
    String value = values.get(name);
    return value == null ? defaultValue : Long.parseLong(value);
  }

  public String text(String name) {
    return values.get(name);
  }

  /** The extra headers to send upstream, by header name. */
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(HEADER_PREFIX)) {
        headers.put(k.substring(HEADER_PREFIX.length()), v);
      }
    });
    return headers;
  }

  private static void requireNumber(String name, String value) {
    try {
      if (Long.parseLong(value) < 0) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw GatehouseException.invalid("Option '" + name + "' must be a non-negative whole number.");
    }
  }

  private static void requireExtraHeader(String header) {
    if (!header.matches("[A-Za-z0-9-]{1,64}")) {
      throw GatehouseException.invalid("Option '" + HEADER_PREFIX + header + "' must name a header of letters, digits "
          + "and '-'.");
    }
    if (FRAMING_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
      throw GatehouseException.invalid("Header '" + header + "' is set by the gateway itself; a connection cannot set it.");
    }
  }

  private static void requireHttpUrl(String value) {
    try {
      URI uri = URI.create(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw GatehouseException.invalid("Option 'base_url' must be an http(s) URL.");
    }
  }
}
