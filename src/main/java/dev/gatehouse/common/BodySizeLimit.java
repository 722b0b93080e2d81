package dev.gatehouse.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps request bodies: a declared Content-Length over the cap is refused before reading, and a
 * chunked body is counted as it is read, so no request can make the server buffer more than the cap.
 */
@PreMatching
public final class BodySizeLimit implements ContainerRequestFilter {
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

    private void count(int n) throws BodyTooLargeException {
      seen += n;
      if (seen > max) {
        throw new BodyTooLargeException(max);
      }
    }
  }
}
