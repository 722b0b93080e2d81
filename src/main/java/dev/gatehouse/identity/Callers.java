package dev.gatehouse.identity;

/**
 * The authenticated caller of the request being handled on this thread. Set by
 * {@link AuthenticationFilter} before the resource method runs (Jersey runs request filters and
 * synchronous resource methods on the same thread) and cleared when the response is written.
 */
public final class Callers {
  private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

  private Callers() {}

  public static Caller current() {
    Caller caller = CURRENT.get();
    if (caller == null) {
      throw new IllegalStateException("request reached a resource without authentication");
    }
    return caller;
  }

  static void set(Caller caller) {
    CURRENT.set(caller);
  }

  static void clear() {
    CURRENT.remove();
  }
}
