package dev.gatehouse.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A request body read under a size cap: a declared Content-Length over the cap is refused before
 * reading, and a chunked body is counted as it is read, so no request can make the server buffer
 * more than the cap. Used by {@link BodySizeLimit} for Jersey and by the inference servlet.
 */
public final class CappedBody extends FilterInputStream {
  static final long DRAIN_FACTOR = 4;
  static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;
  /** At most this much of a body left unread is read when it is closed; a longer rest closes the connection. */
  static final long MAX_REST_DRAIN_BYTES = 4L * 1024 * 1024;
  private final long max;
  private long seen;
  private boolean drained;

  private CappedBody(InputStream in, long max) {
    super(in);
    this.max = max;
  }

  /**
   * The body of a request declaring {@code declaredLength} bytes (-1 when chunked), counted against
   * {@code maxBytes}; a 413 when the declared length is already over it.
   */
  public static CappedBody open(InputStream in, long declaredLength, long maxBytes) throws IOException {
    if (declaredLength > maxBytes) {
      // Read a moderately oversized body before answering: a client that is still sending when the
      // server closes sees a reset instead of the 413. Far larger ones are refused unread.
      if (declaredLength <= Math.min(maxBytes * DRAIN_FACTOR, MAX_DRAIN_BYTES)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      throw new GatehouseException(ErrorCode.REQUEST_TOO_LARGE, "Request body exceeds " + maxBytes + " bytes.");
    }
    return new CappedBody(in, maxBytes);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  /**
   * Reads what is left before closing. A request refused midway through its body (malformed JSON
   * stops the parser, nesting too deep) left the rest unread, and Jetty then closed the connection
   * after the answer without saying so: the client's next request on it got no answer at all.
   */
  @Override
  public void close() throws IOException {
    try {
      drainRest();
    } finally {
      super.close();
    }
  }

  /**
   * Reads and drops what is left of the body, up to {@link #MAX_REST_DRAIN_BYTES}; once. A request
   * refused before its body was read (no valid key, the database down) must do this before its
   * answer, or Jetty may drop the connection after the answer without saying so.
   */
  public void drainRest() {
    if (drained) {
      return;
    }
    drained = true;
    try {
      // Mostly the body was read to its end: look before taking a buffer (one for every request).
      if (read() < 0) {
        return;
      }
      byte[] buffer = new byte[8192];
      long left = MAX_REST_DRAIN_BYTES - 1;
      int n;
      while (left > 0 && (n = read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
        left -= n;
      }
    } catch (IOException overTheCapOrGone) {
      // Jetty closes the connection, which is then right
    }
  }

  private void count(int n) throws BodyTooLargeException {
    seen += n;
    if (seen > max) {
      throw new BodyTooLargeException(max);
    }
  }
}
