package dev.gatehouse.common;

/**
 * An error the caller should see: its code picks the HTTP status, its message is shown as is, so it
 * must never carry secrets or internals. Mapped once by {@link ErrorMappers}.
 */
public class GatehouseException extends RuntimeException {
  private final ErrorCode code;

  public GatehouseException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static GatehouseException invalid(String message) {
    return new GatehouseException(ErrorCode.INVALID_ARGUMENT, message);
  }

  public static GatehouseException notFound(String what, String name) {
    return new GatehouseException(ErrorCode.NOT_FOUND, what + " '" + name + "' does not exist.");
  }

  public static GatehouseException alreadyExists(String what, String name) {
    return new GatehouseException(ErrorCode.ALREADY_EXISTS, what + " '" + name + "' already exists.");
  }

  public static GatehouseException denied(String message) {
    return new GatehouseException(ErrorCode.PERMISSION_DENIED, message);
  }

  public static GatehouseException conflict(String message) {
    return new GatehouseException(ErrorCode.FAILED_PRECONDITION, message);
  }
}
