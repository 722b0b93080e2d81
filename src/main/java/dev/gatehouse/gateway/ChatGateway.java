package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.models.ServingSpec;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * OpenAI-format inference: routes a request to the version its model and aliases choose, calls the
 * provider (falling back to the model's fallback aliases while nothing has reached the client), and
 * relays the answer, streamed or whole. Every call leaves one usage record, whatever its outcome.
 */
public class ChatGateway {
  static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  static final MediaType EVENT_STREAM = MediaType.valueOf("text/event-stream");

  private final ServingResolver resolver;
  private final ConnectionService connections;
  private final UpstreamClient upstream;
  private final IdleWatchdog watchdog;
  private final Ledger ledger;
  private final ObjectMapper json;
  private final AnthropicBridge anthropic;
  private final CallGuard guard;

  public ChatGateway(ServingResolver resolver, ConnectionService connections, UpstreamClient upstream,
      IdleWatchdog watchdog, Ledger ledger, ObjectMapper json, AnthropicBridge anthropic, CallGuard guard) {
    this.resolver = resolver;
    this.connections = connections;
    this.upstream = upstream;
    this.watchdog = watchdog;
    this.ledger = ledger;
    this.json = json;
    this.anthropic = anthropic;
    this.guard = guard;
  }

  public Response chat(Caller caller, ObjectNode body, Map<String, String> tags, Map<String, String> responseHeaders) {
    CallContext call = context(caller, body, "chat", TokenCounter.prompt(body), tags, responseHeaders);
    List<Target> targets = resolve(call, body);
    return releasingOnFailure(call, () -> chat(call, body, targets));
  }

  private Response chat(CallContext call, ObjectNode body, List<Target> targets) {
    GatewayException failure = null;
    String errorType = null;
    for (Target target : targets) {
      requireTask(call, target, ServingSpec.CHAT);
      ConnectionService.Upstream up = connections.upstream(target.spec().connectionName());
      ObjectNode request = prepare(call, target,
          () -> Requests.prepareChat(body, target.spec(), up.type().openAiWire() && call.stream()));
      try {
        return switch (up.type()) {
          case MOCK -> MockAnswers.chat(call, target, up, request, ledger);
          case ANTHROPIC -> anthropic.chatForOpenAiClient(call, target, up, request);
          case OPENAI, OPENAI_COMPATIBLE -> openAiChat(call, target, up, request);
        };
      } catch (UpstreamClient.UpstreamFailure e) {
        failure = GatewayException.upstream(e.clientStatus(), e.getMessage());
        errorType = e.errorType();
      }
    }
    ledger.record(call, targets.get(targets.size() - 1), null, failure.status(), errorType);
    throw failure;
  }

  public Response embeddings(Caller caller, ObjectNode body, Map<String, String> tags,
      Map<String, String> responseHeaders) {
    CallContext call = context(caller, body, "embeddings", TokenCounter.prompt(body), tags, responseHeaders);
    Target target = resolve(call, body).get(0);
    return releasingOnFailure(call, () -> embeddings(call, body, target));
  }

  private Response embeddings(CallContext call, ObjectNode body, Target target) {
    requireTask(call, target, ServingSpec.EMBEDDINGS);
    ConnectionService.Upstream up = connections.upstream(target.spec().connectionName());
    ObjectNode request = body.deepCopy().put("model", target.spec().upstreamModel());
    if (up.type() == ConnectionType.MOCK) {
      ObjectNode answer = new MockModel(up.options()).embeddings(request, call.requested(), call.meter().promptTokens());
      call.meter().reportedOpenAi(answer.get("usage"));
      ledger.record(call, target, up, 200, null);
      return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
    }
    if (!up.type().openAiWire()) {
      ledger.record(call, target, up, 400, "unsupported");
      throw GatewayException.invalid("The model's provider (" + up.type() + ") serves no embeddings.", "model");
    }
    try {
      return whole(call, target, up, upstream.post(up, "/embeddings", bytes(request)));
    } catch (UpstreamClient.UpstreamFailure e) {
      ledger.record(call, target, up, e.clientStatus(), e.errorType());
      throw GatewayException.upstream(e.clientStatus(), e.getMessage());
    }
  }

  private Response openAiChat(CallContext call, Target target, ConnectionService.Upstream up, ObjectNode request)
      throws UpstreamClient.UpstreamFailure {
    UpstreamClient.Answer response = upstream.post(up, "/chat/completions", bytes(request));
    if (!call.stream() || response.status() >= 300) {
      return whole(call, target, up, response);
    }
    long idle = up.options().number("idle_timeout_ms", DEFAULT_IDLE_TIMEOUT_MS);
    StreamingOutput stream = out -> {
      OpenAiRelay.End end;
      try (InputStream in = response.body(); IdleWatchdog.Watch watch = watchdog.watch(in, idle)) {
        end = OpenAiRelay.relay(in, out, watch, call.meter(), call.includeUsage(), json);
        if (end == OpenAiRelay.End.UPSTREAM_BROKEN || end == OpenAiRelay.End.UPSTREAM_IDLE) {
          OpenAiRelay.writeError(out, end == OpenAiRelay.End.UPSTREAM_IDLE
              ? "The provider stopped sending." : "The provider's stream broke off.");
        }
      }
      ledger.record(call, target, up, Streams.status(end), Streams.errorType(end));
    };
    return Streams.response(stream);
  }

  /** A non-streamed answer (or an error the provider gave): read whole, usage read, passed on as is. */
  private Response whole(CallContext call, Target target, ConnectionService.Upstream up,
      UpstreamClient.Answer response) {
    byte[] body;
    try {
      body = UpstreamClient.readWhole(response);
    } catch (IOException e) {
      ledger.record(call, target, up, 502, "upstream_broken");
      throw GatewayException.upstream(502, "The provider's answer broke off.");
    }
    call.meter().firstByte();
    int status = response.status();
    try {
      JsonNode parsed = json.readTree(body);
      call.meter().reportedOpenAi(parsed.get("usage"));
      if (!call.meter().reported()) {
        parsed.path("choices").forEach(c -> call.meter().streamed(c.path("message").path("content").asText(null)));
      }
    } catch (IOException ignored) {
      // a body that is not JSON is passed on; the tokens stay estimated
    }
    ledger.record(call, target, up, status, status >= 400 ? "upstream_error" : null);
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }

  CallContext context(Caller caller, ObjectNode body, String endpoint, long promptEstimate, Map<String, String> tags,
      Map<String, String> responseHeaders) {
    JsonNode model = body.get("model");
    JsonNode maxTokens = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
    return new CallContext(caller, AuditContext.current().requestId(), endpoint,
        model == null || !model.isTextual() ? "" : model.asText(), body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false),
        maxTokens != null && maxTokens.canConvertToLong() ? maxTokens.asLong() : null, new Meter(promptEstimate),
        responseHeaders, new AtomicReference<>(), tags);
  }

  /**
   * Runs an admitted call; when it fails before writing its usage record (an invalid field found
   * while preparing the request, a connection gone), what its guard granted is given back.
   */
  static Response releasingOnFailure(CallContext call, java.util.function.Supplier<Response> admitted) {
    try {
      return admitted.get();
    } catch (RuntimeException e) {
      call.release();
      throw e;
    }
  }

  /** The versions the call may go to, in fallback order, once its guard admitted it. */
  List<Target> resolve(CallContext call, ObjectNode body) {
    List<Target> targets;
    try {
      if (!body.path("model").isTextual()) {
        throw GatewayException.invalid("'model' is required.", "model");
      }
      targets = resolver.resolve(call.caller(), ModelRef.parse(call.requested()), call.requested());
    } catch (GatewayException e) {
      ledger.record(call, null, null, e.status(), errorType(e));
      throw e;
    }
    try {
      call.permit().set(guard.admit(call, targets));
    } catch (GatewayException e) {
      ledger.record(call, targets.get(0), null, e.status(), errorType(e));
      throw e;
    }
    return targets;
  }

  /**
   * The request for a version; one it refuses (a malformed max_tokens) gives back what the call's
   * guard holds at once (budget and rate limits alike: it was never sent) and is recorded.
   */
  ObjectNode prepare(CallContext call, Target target, java.util.function.Supplier<ObjectNode> preparation) {
    try {
      return preparation.get();
    } catch (GatewayException e) {
      call.release();
      ledger.record(call, target, null, e.status(), errorType(e));
      throw e;
    }
  }

  private static String errorType(GatewayException e) {
    return e.code() != null ? e.code() : e.type();
  }

  private void requireTask(CallContext call, Target target, String task) {
    if (!task.equals(target.spec().task())) {
      ledger.record(call, target, null, 400, "wrong_task");
      throw GatewayException.invalid("The model '" + call.requested() + "' serves " + target.spec().task()
          + ", not " + task + ".", "model");
    }
  }

  byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
