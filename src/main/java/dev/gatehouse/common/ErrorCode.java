package dev.gatehouse.common;

/** The error codes of the catalog and admin APIs (Unity Catalog's names) with their HTTP status. */
public enum ErrorCode {
  INVALID_ARGUMENT(400),
  UNAUTHENTICATED(401),
  PERMISSION_DENIED(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  NOT_ACCEPTABLE(406),
  ALREADY_EXISTS(409),
  FAILED_PRECONDITION(409),
  REQUEST_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  RESOURCE_EXHAUSTED(429),
  INTERNAL_ERROR(500),
  UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
