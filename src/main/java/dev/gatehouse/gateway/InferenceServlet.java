package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.CappedBody;
import dev.gatehouse.common.CostTags;
import dev.gatehouse.common.ErrorBody;
import dev.gatehouse.common.ErrorCode;
import dev.gatehouse.common.ErrorMappers;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.ApiKeyLogin;
import dev.gatehouse.identity.Caller;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/chat/completions}, {@code /v1/embeddings} and {@code /v1/messages} on a plain
 * servlet. Jersey's request filters, body readers, validation and response writers cost these
 * calls more CPU than the gateway's own work (bench/gateway/README.md); the rest of the API stays in
 * Jersey. This does for the three calls what the Jersey filters do for it, in their order: the
 * body-size cap (413), the content type (415), the API key (401), the audit operation and body, and
 * every error in the provider's shape.
 */
public class InferenceServlet extends HttpServlet {
  /** The paths this serves; the servlet is mapped to exactly these. */
  public static final String[] PATHS = {"/v1/chat/completions", "/v1/embeddings", "/v1/messages"};

  private final transient ApiKeyLogin login;
  private final transient ObjectMapper json;
  private final long maxBodyBytes;
  private final transient Map<String, Endpoint> endpoints;

  /** One inference call as the gateway takes it. */
  @FunctionalInterface
  private interface Call {
    Response run(Caller caller, ObjectNode body, Map<String, String> tags, Map<String, String> responseHeaders);
  }

  /** An endpoint: the operation the audit log names (the spec's operationId), its wire format, its call. */
  private record Endpoint(String operation, WireFormat format, Call call) {}

  public InferenceServlet(ApiKeyLogin login, ChatGateway chat, MessagesGateway messages, ObjectMapper json,
      long maxBodyBytes) {
    this.login = login;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
    this.endpoints = Map.of(
        PATHS[0], new Endpoint("createChatCompletion", WireFormat.OPENAI, chat::chat),
        PATHS[1], new Endpoint("createEmbedding", WireFormat.OPENAI, chat::embeddings),
        PATHS[2], new Endpoint("createMessage", WireFormat.ANTHROPIC, messages::messages));
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Endpoint endpoint = endpoints.get(request.getServletPath());
    AuditContext.current().action("gateway", endpoint.operation());
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST, OPTIONS");
      if ("OPTIONS".equals(request.getMethod())) {
        return;
      }
      send(error(new GatehouseException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed."), endpoint), response);
      return;
    }
    try {
      send(answer(request, endpoint), response);
    } catch (IOException clientGone) {
      // the client left while being answered; a stream's usage record is written already
    } finally {
      ApiKeyLogin.signOut();
    }
  }

  /** The call's answer; a refusal or failure before it streams is an error in the provider's shape. */
  private Response answer(HttpServletRequest request, Endpoint endpoint) {
    CappedBody body = null;
    try {
      body = CappedBody.open(request.getInputStream(), request.getContentLengthLong(), maxBodyBytes);
      if (!isJson(request.getContentType())) {
        throw new GatehouseException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Unsupported content type; send application/json.");
      }
      Caller caller = login.signIn(ApiKeyLogin.presentedKey(request.getHeader("Authorization"),
          request.getHeader("x-api-key"), true));
      if (caller == null) {
        throw new GatehouseException(ErrorCode.UNAUTHENTICATED, "A valid API key is required.");
      }
      ObjectNode parsed = object(json.readTree(body));
      AuditContext.current().param("body", parsed);
      String tags = request.getHeader(CostTags.HEADER);
      return GatewayErrors.answer(endpoint.format(),
          headers -> endpoint.call().run(caller, parsed, CostTags.parseHeader(tags), headers));
    } catch (IOException | RuntimeException e) {
      if (body != null) {
        body.drainRest(); // or Jetty may drop the connection after the answer
      }
      return error(e, endpoint);
    }
  }

  /** The error as the endpoint's provider shapes it; what the API's error mappers make of anything else. */
  private static Response error(Exception e, Endpoint endpoint) {
    if (e instanceof GatewayException gateway) {
      return GatewayErrors.response(gateway, endpoint.format());
    }
    Response mapped = ErrorMappers.answer(e);
    return ProviderErrorShape.response(endpoint.format(), mapped.getStatus(), (ErrorBody) mapped.getEntity());
  }

  /** Writes the answer; a streamed one event by event, as the gateway flushes them. */
  private void send(Response answer, HttpServletResponse response) throws IOException {
    response.setStatus(answer.getStatus());
    answer.getStringHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
    Object entity = answer.getEntity();
    OutputStream out = response.getOutputStream();
    if (entity instanceof StreamingOutput stream) {
      stream.write(out);
      return;
    }
    byte[] bytes = entity instanceof byte[] given ? given : json.writeValueAsBytes(entity);
    response.setContentLength(bytes.length);
    out.write(bytes);
  }

  /** {@code application/json}, with any parameters (a charset); what Jersey's {@code @Consumes} accepted. */
  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.toLowerCase(Locale.ROOT).equals("application/json");
  }

  static ObjectNode object(JsonNode body) {
    if (!(body instanceof ObjectNode node)) {
      throw GatewayException.invalid("The request body must be a JSON object.", null);
    }
    return node;
  }
}
