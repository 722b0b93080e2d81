package dev.gatehouse.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers by itself, before any resource or mapper runs: a URI it finds ambiguous
 * ({@code %2F}, {@code %25}, an empty segment), a request line or headers too large, a malformed
 * request. Without this they came back as Jetty's HTML page or an empty body; here they get the
 * JSON error shape of the API their path belongs to, with a message of our own.
 */
public class JsonErrorHandler extends ErrorHandler {
  private final ObjectMapper json;
  private final Shape shape;

  /** The entity an error on {@code path} is answered with: its API may speak another shape than {@link ErrorBody}. */
  @FunctionalInterface
  public interface Shape {
    Object body(String path, int status, ErrorBody error);
  }

  public JsonErrorHandler(ObjectMapper json, Shape shape) {
    this.json = json;
    this.shape = shape;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    byte[] body = bytes(shape.body(path == null ? "" : path, status, error(status)));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    // Jetty closes the connection after a request it could not parse (a URI or headers too long)
    // without saying so, and a client then sent its next request into a closed socket. Every error
    // that reaches here is such an oddity: say it, and close.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /** Jetty's own reasons name its settings and internals; callers get ours. */
  static ErrorBody error(int status) {
    return switch (status) {
      case 404 -> new ErrorBody(ErrorCode.NOT_FOUND.name(), "No such endpoint.");
      case 405 -> new ErrorBody(ErrorCode.METHOD_NOT_ALLOWED.name(), "Method not allowed.");
      case 413 -> new ErrorBody(ErrorCode.REQUEST_TOO_LARGE.name(), "Request body too large.");
      case 414 -> new ErrorBody(ErrorCode.INVALID_ARGUMENT.name(), "Request URI too long.");
      case 415 -> new ErrorBody(ErrorCode.UNSUPPORTED_MEDIA_TYPE.name(), "Unsupported content type; send application/json.");
      case 431 -> new ErrorBody(ErrorCode.INVALID_ARGUMENT.name(), "Request headers too large.");
      case 503 -> new ErrorBody(ErrorCode.UNAVAILABLE.name(), "The service is unavailable; retry later.");
      default -> status >= 500 ? new ErrorBody(ErrorCode.INTERNAL_ERROR.name(), "Internal error.")
          : new ErrorBody(ErrorCode.INVALID_ARGUMENT.name(), "Malformed request.");
    };
  }

  private byte[] bytes(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
