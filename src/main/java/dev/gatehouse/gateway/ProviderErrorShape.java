package dev.gatehouse.gateway;

import dev.gatehouse.common.ErrorBody;
import dev.gatehouse.common.ErrorCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * Clients of /v1 are OpenAI and Anthropic SDKs, which read only their provider's error shape. The
 * errors raised before the gateway's own code runs (malformed JSON, a body over the cap, the wrong
 * content type, the database down) are made in the common shape by the exception mappers; on /v1
 * this turns them into the provider's.
 */
public class ProviderErrorShape implements ContainerResponseFilter {
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getEntity() instanceof ErrorBody error) {
      Object body = body("/" + request.getUriInfo().getPath(), response.getStatus(), error);
      if (body != error) {
        response.setEntity(body, null, MediaType.APPLICATION_JSON_TYPE);
      }
    }
  }

  /** The error as the API of {@code path} (with its leading slash) speaks it. */
  public static Object body(String path, int status, ErrorBody error) {
    if (!path.startsWith("/v1/")) {
      return error;
    }
    return body(path.startsWith("/v1/messages") ? WireFormat.ANTHROPIC : WireFormat.OPENAI, status, error);
  }

  /** The error as a client of {@code format} reads it, as a response. */
  static Response response(WireFormat format, int status, ErrorBody error) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(format, status, error)).build();
  }

  /** The error as a client of {@code format} reads it. */
  static Object body(WireFormat format, int status, ErrorBody error) {
    String type = status == 429 ? "rate_limit_exceeded" : status >= 500 ? "api_error" : "invalid_request_error";
    // OpenAI's SDKs know a missing or wrong key by this code
    String code = error.errorCode().equals(ErrorCode.UNAUTHENTICATED.name()) ? "invalid_api_key"
        : error.errorCode().toLowerCase(Locale.ROOT);
    return GatewayErrors.body(new GatewayException(status, type, code, error.message(), null), format);
  }
}
