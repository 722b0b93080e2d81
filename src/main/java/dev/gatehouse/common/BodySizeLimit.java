package dev.gatehouse.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Caps request bodies: a declared Content-Length over the cap is refused before reading, and a
 * chunked body is counted as it is read, so no request can make the server buffer more than the cap.
 */
@PreMatching
public final class BodySizeLimit implements ContainerRequestFilter, ContainerResponseFilter {
  /** The request property holding the counted body, to find it again once the answer is known. */
  private static final String BODY = BodySizeLimit.class.getName() + ".body";
  static final long DRAIN_FACTOR = 4;
  static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;
  /** At most this much of a body left unread is read when it is closed; a longer rest closes the connection. */
  static final long MAX_REST_DRAIN_BYTES = 4L * 1024 * 1024;
  private final long adminMaxBytes;
  private final long inferenceMaxBytes;

  /** {@code inferenceMaxBytes} applies to /v1 (prompts with images are large), the other to the rest. */
  public BodySizeLimit(long adminMaxBytes, long inferenceMaxBytes) {
    this.adminMaxBytes = adminMaxBytes;
    this.inferenceMaxBytes = inferenceMaxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    long maxBytes = request.getUriInfo().getPath().startsWith("v1/") ? inferenceMaxBytes : adminMaxBytes;
    if (request.getLength() > maxBytes) {
      // Read a moderately oversized body before answering: a client that is still sending when the
      // server closes sees a reset instead of the 413. Far larger ones are refused unread.
      if (request.getLength() <= Math.min(maxBytes * DRAIN_FACTOR, MAX_DRAIN_BYTES)) {
        request.getEntityStream().transferTo(OutputStream.nullOutputStream());
      }
      throw new GatehouseException(ErrorCode.REQUEST_TOO_LARGE, "Request body exceeds " + maxBytes + " bytes.");
    }
    if (request.hasEntity()) {
      Counting body = new Counting(request.getEntityStream(), maxBytes);
      request.setEntityStream(body);
      request.setProperty(BODY, body);
    }
  }

  /**
   * A request refused before its body was read (no valid key, the database down, a wrong content
   * type) left the body unread: read it before the answer, as {@link Counting#close()} does for one
   * refused midway, or Jetty may drop the connection after the answer without saying so.
   */
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getStatus() >= 400 && request.getProperty(BODY) instanceof Counting body) {
      body.drainRest();
    }
  }

  private static final class Counting extends FilterInputStream {
    private final long max;
    private long seen;
    private boolean drained;

    Counting(InputStream in, long max) {
      super(in);
      this.max = max;
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

    /** Reads and drops what is left of the body, up to {@link #MAX_REST_DRAIN_BYTES}; once. */
    void drainRest() {
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
}
