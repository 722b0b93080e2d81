package dev.gatehouse.common;

import java.io.IOException;

/** Thrown while reading a request body past its size cap; an IOException so parsers pass it through. */
public final class BodyTooLargeException extends IOException {
  public BodyTooLargeException(long limit) {
    super("Request body exceeds " + limit + " bytes.");
  }
}
