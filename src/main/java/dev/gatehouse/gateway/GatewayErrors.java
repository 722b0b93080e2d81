package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.common.ErrorBody;
import dev.gatehouse.common.GatehouseException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Gateway errors in OpenAI's or Anthropic's error shape. */
public final class GatewayErrors {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private GatewayErrors() {}

  /**
   * Runs an inference call; its answer, or its error in the provider's shape, carries the headers
   * the call set (rate-limit state, for one).
   */
  static Response answer(WireFormat format, Function<Map<String, String>, Response> call) {
    Map<String, String> headers = new LinkedHashMap<>();
    Response response;
    try {
      response = call.apply(headers);
    } catch (GatewayException e) {
      response = response(e, format);
    } catch (GatehouseException e) {
      response = ProviderErrorShape.response(format, e.code().status(), new ErrorBody(e.code().name(), e.getMessage()));
    }
    if (headers.isEmpty()) {
      return response;
    }
    Response.ResponseBuilder withHeaders = Response.fromResponse(response);
    headers.forEach(withHeaders::header);
    return withHeaders.build();
  }

  public static Response response(GatewayException e, WireFormat format) {
    return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body(e, format)).build();
  }

  public static ObjectNode body(GatewayException e, WireFormat format) {
    if (format == WireFormat.ANTHROPIC) {
      ObjectNode error = JSON.objectNode().put("type", anthropicType(e)).put("message", e.getMessage());
      ObjectNode body = JSON.objectNode().put("type", "error");
      body.set("error", error);
      return body;
    }
    ObjectNode error = JSON.objectNode().put("message", e.getMessage()).put("type", e.type());
    error.put("param", e.param());
    error.put("code", e.code());
    ObjectNode body = JSON.objectNode();
    body.set("error", error);
    return body;
  }

  private static String anthropicType(GatewayException e) {
    return switch (e.status()) {
      case 400, 413, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
  }
}
