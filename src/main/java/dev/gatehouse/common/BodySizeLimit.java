package dev.gatehouse.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.IOException;

/** Caps request bodies with {@link CappedBody}: /v1 under the inference cap, the rest under the admin cap. */
@PreMatching
public final class BodySizeLimit implements ContainerRequestFilter, ContainerResponseFilter {
  /** The request property holding the counted body, to find it again once the answer is known. */
  private static final String BODY = BodySizeLimit.class.getName() + ".body";
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
    // hasEntity() peeks at the stream, which Jersey then replaces with a buffered one: ask it first
    boolean hasEntity = request.hasEntity();
    CappedBody body = CappedBody.open(request.getEntityStream(), request.getLength(), maxBytes);
    if (hasEntity) {
      request.setEntityStream(body);
      request.setProperty(BODY, body);
    }
  }

  /**
   * A request refused before its body was read (no valid key, the database down, a wrong content
   * type) left the body unread: read it before the answer, as {@link CappedBody#close()} does for one
   * refused midway.
   */
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getStatus() >= 400 && request.getProperty(BODY) instanceof CappedBody body) {
      body.drainRest();
    }
  }
}
