package dev.gatehouse.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keyset pagination: the token is the sort key of the last item served, so pages stay correct while
 * rows are inserted concurrently (no offsets that shift). {@code after} is null on the first page.
 */
public record PageRequest(int limit, String after) {
  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1000;

  public static PageRequest of(Integer maxResults, String pageToken) {
    if (maxResults != null && maxResults < 0) {
      throw GatehouseException.invalid("'max_results' must not be negative.");
    }
    int limit = maxResults == null || maxResults == 0 ? DEFAULT_PAGE_SIZE : Math.min(maxResults, MAX_PAGE_SIZE);
    return new PageRequest(limit, decode(pageToken));
  }

  /** Returns the token that continues after {@code lastKey}. */
  public static String token(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw GatehouseException.invalid("'page_token' is not a token this server issued.");
    }
  }

  /** Queries fetch one row more than the page to learn whether another page follows. */
  public int fetchSize() {
    return limit + 1;
  }
}
