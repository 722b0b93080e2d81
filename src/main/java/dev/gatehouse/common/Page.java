package dev.gatehouse.common;

import java.util.List;
import java.util.function.Function;

/** One page of results and the token of the next, null on the last page. */
public record Page<T>(List<T> items, String nextPageToken) {

  /** Builds a page from rows fetched with {@link PageRequest#fetchSize()}. */
  public static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, String> sortKey) {
    if (rows.size() <= request.limit()) {
      return new Page<>(rows, null);
    }
    List<T> items = rows.subList(0, request.limit());
    return new Page<>(items, PageRequest.token(sortKey.apply(items.get(items.size() - 1))));
  }

  public <R> Page<R> map(Function<T, R> f) {
    return new Page<>(items.stream().map(f).toList(), nextPageToken);
  }
}
