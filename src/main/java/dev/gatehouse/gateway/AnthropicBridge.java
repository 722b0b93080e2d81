package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.gateway.translate.AnthropicToOpenAiStream;
import dev.gatehouse.gateway.translate.AnthropicTranslation;
import dev.gatehouse.gateway.translate.TranslationException;
import dev.gatehouse.gateway.translate.Usage;
import dev.gatehouse.gateway.translate.UpstreamResponseException;
import dev.gatehouse.gateway.translate.UsageReader;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** OpenAI-format clients served by Anthropic: requests, answers and streams translated both ways. */
public class AnthropicBridge {
  private final UpstreamClient upstream;
  private final IdleWatchdog watchdog;
  private final Ledger ledger;
  private final ObjectMapper json;

  public AnthropicBridge(UpstreamClient upstream, IdleWatchdog watchdog, Ledger ledger, ObjectMapper json) {
    this.upstream = upstream;
    this.watchdog = watchdog;
    this.ledger = ledger;
    this.json = json;
  }

  Response chatForOpenAiClient(CallContext call, Target target, ConnectionService.Upstream up, ObjectNode request)
      throws UpstreamClient.UpstreamFailure {
    ObjectNode anthropic = translate(call, target, () -> AnthropicTranslation.toAnthropicRequest(request,
        target.spec().upstreamModel()));
    UpstreamClient.Answer response = upstream.post(up, "/v1/messages", bytes(anthropic));
    if (response.status() >= 300 || !call.stream()) {
      JsonNode answer = readWhole(call, target, up, response);
      if (response.status() >= 300) {
        throw upstreamError(call, target, up, response.status(), answer);
      }
      report(call.meter(), UsageReader.fromAnthropic((ObjectNode) answer));
      ObjectNode translated = answer(call, target, up,
          () -> AnthropicTranslation.toOpenAiResponse((ObjectNode) answer, call.requested()));
      ledger.record(call, target, up, 200, null);
      return Response.ok(translated, MediaType.APPLICATION_JSON_TYPE).build();
    }
    long idle = up.options().number("idle_timeout_ms", ChatGateway.DEFAULT_IDLE_TIMEOUT_MS);
    StreamingOutput stream = out -> {
      AnthropicToOpenAiStream converter = new AnthropicToOpenAiStream(call.requested(), call.includeUsage());
      OpenAiRelay.End end;
      try (InputStream in = response.body(); IdleWatchdog.Watch watch = watchdog.watch(in, idle)) {
        end = relay(new SseReader(in), out, watch, converter, call.meter());
        if (end == OpenAiRelay.End.UPSTREAM_BROKEN || end == OpenAiRelay.End.UPSTREAM_IDLE) {
          OpenAiRelay.writeError(out, "The provider's stream broke off.");
        }
      }
      report(call.meter(), converter.usage());
      ledger.record(call, target, up, Streams.status(end), Streams.errorType(end));
    };
    return Streams.response(stream);
  }

  /** Takes the provider's usage when it reported any (null: none, the meter keeps counting). */
  static void report(Meter meter, Usage usage) {
    if (usage != null) {
      meter.reported(usage.promptTokens(), usage.completionTokens(), usage.cachedTokens(), usage.cacheWriteTokens());
    }
  }

  private OpenAiRelay.End relay(SseReader reader, OutputStream out, IdleWatchdog.Watch watch,
      AnthropicToOpenAiStream converter, Meter meter) {
    boolean stopped = false;
    while (true) {
      SseReader.Event event;
      try {
        event = reader.next();
      } catch (IOException e) {
        return watch.fired() ? OpenAiRelay.End.UPSTREAM_IDLE : OpenAiRelay.End.UPSTREAM_BROKEN;
      }
      if (event == null) {
        break;
      }
      watch.touch();
      meter.firstByte();
      stopped |= "message_stop".equals(event.name());
      ObjectNode data;
      try {
        data = (ObjectNode) json.readTree(event.data());
      } catch (IOException | ClassCastException e) {
        continue;
      }
      if ("content_block_delta".equals(event.name())) {
        meter.streamed(data.path("delta").path("text").asText(null));
      }
      try {
        for (ObjectNode chunk : converter.onEvent(event.name(), data)) {
          out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
      } catch (IOException e) {
        return OpenAiRelay.End.CLIENT_GONE;
      }
    }
    if (watch.fired() || !stopped) {
      return watch.fired() ? OpenAiRelay.End.UPSTREAM_IDLE : OpenAiRelay.End.UPSTREAM_BROKEN;
    }
    try {
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      return OpenAiRelay.End.CLIENT_GONE;
    }
    return OpenAiRelay.End.COMPLETE;
  }

  private JsonNode readWhole(CallContext call, Target target, ConnectionService.Upstream up,
      UpstreamClient.Answer response) {
    try {
      call.meter().firstByte();
      return json.readTree(UpstreamClient.readWhole(response));
    } catch (IOException e) {
      ledger.record(call, target, up, 502, "upstream_broken");
      throw GatewayException.upstream(502, "The provider's answer broke off or was not JSON.");
    }
  }

  /** A provider's error (4xx other than 429) in the client's shape, recorded first. */
  GatewayException upstreamError(CallContext call, Target target, ConnectionService.Upstream up, int status,
      JsonNode body) {
    ledger.record(call, target, up, status, "upstream_error");
    String message = body.path("error").path("message").asText("The provider refused the request.");
    return new GatewayException(status, status == 400 ? "invalid_request_error" : "api_error", "upstream_error",
        message, null);
  }

  /** A provider's whole answer translated for the client; a malformed one is recorded and answered 502. */
  ObjectNode answer(CallContext call, Target target, ConnectionService.Upstream up,
      java.util.function.Supplier<ObjectNode> translation) {
    try {
      return translation.get();
    } catch (UpstreamResponseException e) {
      ledger.record(call, target, up, 502, "upstream_malformed");
      throw GatewayException.upstream(502, e.getMessage());
    }
  }

  ObjectNode translate(CallContext call, Target target, java.util.function.Supplier<ObjectNode> translation) {
    try {
      return translation.get();
    } catch (TranslationException e) {
      ledger.record(call, target, null, 400, "untranslatable");
      throw GatewayException.invalid(e.getMessage(), e.param());
    }
  }

  byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
