package dev.gatehouse.gateway;

/**
 * An error answered in the provider's own shape on /v1: OpenAI's {"error": {...}} or Anthropic's
 * {"type": "error", "error": {...}}, chosen by the endpoint. {@code type} uses OpenAI's names;
 * {@link GatewayErrors} maps them for Anthropic clients.
 */
public class GatewayException extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;

  public GatewayException(int status, String type, String code, String message, String param) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
  }

  public static GatewayException invalid(String message, String param) {
    return new GatewayException(400, "invalid_request_error", null, message, param);
  }

  public static GatewayException modelNotFound(String model) {
    return new GatewayException(404, "invalid_request_error", "model_not_found",
        "The model '" + model + "' does not exist or you do not have access to it.", "model");
  }

  public static GatewayException upstream(int status, String message) {
    return new GatewayException(status, status == 429 ? "rate_limit_exceeded" : "api_error", "upstream_error",
        message, null);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }
}
