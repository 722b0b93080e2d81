package dev.gatehouse.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
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
public final class BodySizeLimit implements ContainerRequestFilter {
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
      request.setEntityStream(new Counting(request.getEntityStream(), maxBytes));
    }
  }

  private static final class Counting extends FilterInputStream {
    private final long max;
    private long seen;

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
        byte[] buffer = new byte[8192];
        long left = MAX_REST_DRAIN_BYTES;
        int n;
        while (left > 0 && (n = read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
          left -= n;
        }
      } catch (IOException overTheCapOrGone) {
        // Jetty closes the connection, which is then right
      } finally {
        super.close();
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
