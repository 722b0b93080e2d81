package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.gateway.translate.AnthropicTranslation;
import dev.gatehouse.gateway.translate.OpenAiToAnthropicStream;
import dev.gatehouse.gateway.translate.SseEvent;
import dev.gatehouse.gateway.translate.Usage;
import dev.gatehouse.gateway.translate.UsageReader;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.models.ServingSpec;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Anthropic-format inference (/v1/messages): passed through to Anthropic upstreams, translated for
 * OpenAI-format and MOCK ones. Same routing, fallbacks and usage records as {@link ChatGateway}.
 */
public class MessagesGateway {
  private final ChatGateway chat;
  private final ConnectionService connections;
  private final UpstreamClient upstream;
  private final IdleWatchdog watchdog;
  private final Ledger ledger;
  private final ObjectMapper json;
  private final AnthropicBridge bridge;

  public MessagesGateway(ChatGateway chat, ConnectionService connections, UpstreamClient upstream,
      IdleWatchdog watchdog, Ledger ledger, ObjectMapper json, AnthropicBridge bridge) {
    this.chat = chat;
    this.connections = connections;
    this.upstream = upstream;
    this.watchdog = watchdog;
    this.ledger = ledger;
    this.json = json;
    this.bridge = bridge;
  }

  public Response messages(Caller caller, ObjectNode body, Map<String, String> tags,
      Map<String, String> responseHeaders) {
    CallContext call = chat.context(caller, body, "messages", TokenCounter.prompt(body), tags, responseHeaders);
    List<Target> targets = chat.resolve(call, body);
    return ChatGateway.releasingOnFailure(call, () -> messages(call, body, targets));
  }

  private Response messages(CallContext call, ObjectNode body, List<Target> targets) {
    GatewayException failure = null;
    String errorType = null;
    for (Target target : targets) {
      if (!ServingSpec.CHAT.equals(target.spec().task())) {
        ledger.record(call, target, null, 400, "wrong_task");
        throw GatewayException.invalid("The model '" + call.requested() + "' does not serve chat.", "model");
      }
      ConnectionService.Upstream up = connections.upstream(target.spec().connectionName());
      try {
        if (up.type() == ConnectionType.ANTHROPIC) {
          return passThrough(call, target, up, body);
        }
        ObjectNode translated = bridge.translate(call, target,
            () -> AnthropicTranslation.toOpenAiRequest(body, target.spec().upstreamModel()));
        ObjectNode openAi = chat.prepare(call, target,
            () -> Requests.prepareChat(translated, target.spec(), call.stream()));
        return up.type() == ConnectionType.MOCK ? mock(call, target, up, openAi) : viaOpenAi(call, target, up, openAi);
      } catch (UpstreamClient.UpstreamFailure e) {
        failure = GatewayException.upstream(e.clientStatus(), e.getMessage());
        errorType = e.errorType();
      }
    }
    ledger.record(call, targets.get(targets.size() - 1), null, failure.status(), errorType);
    throw failure;
  }

  private Response passThrough(CallContext call, Target target, ConnectionService.Upstream up, ObjectNode body)
      throws UpstreamClient.UpstreamFailure {
    ObjectNode request = anthropicRequest(body, target.spec());
    UpstreamClient.Answer response = upstream.post(up, "/v1/messages", bridge.bytes(request));
    if (response.status() >= 300 || !call.stream()) {
      byte[] answer = readAll(call, target, up, response);
      try {
        AnthropicBridge.report(call.meter(), UsageReader.fromAnthropic((ObjectNode) json.readTree(answer)));
      } catch (IOException | ClassCastException | IllegalArgumentException ignored) {
        // an error body: nothing to bill beyond the estimate
      }
      ledger.record(call, target, up, response.status(), response.status() >= 300 ? "upstream_error" : null);
      return Response.status(response.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(answer).build();
    }
    long idle = up.options().number("idle_timeout_ms", ChatGateway.DEFAULT_IDLE_TIMEOUT_MS);
    StreamingOutput stream = out -> {
      OpenAiRelay.End end;
      Usage[] usage = {Usage.NONE};
      try (InputStream in = response.body(); IdleWatchdog.Watch watch = watchdog.watch(in, idle)) {
        end = relayVerbatim(new SseReader(in), out, watch, call.meter(), usage);
        writeError(out, end);
      }
      if (usage[0].promptTokens() > 0 || usage[0].completionTokens() > 0) {
        call.meter().reported(usage[0].promptTokens(), usage[0].completionTokens(), usage[0].cachedTokens(),
            usage[0].cacheWriteTokens());
      }
      ledger.record(call, target, up, Streams.status(end), Streams.errorType(end));
    };
    return Streams.response(stream);
  }

  /** Relays Anthropic events as received, reading usage from message_start and message_delta. */
  private OpenAiRelay.End relayVerbatim(SseReader reader, OutputStream out, IdleWatchdog.Watch watch, Meter meter,
      Usage[] usage) {
    long input = 0;
    long cached = 0;
    long cacheWrite = 0;
    long output = 0;
    boolean stopped = false;
    while (true) {
      SseReader.Event event;
      try {
        event = reader.next();
      } catch (IOException e) {
        return watch.fired() ? OpenAiRelay.End.UPSTREAM_IDLE : OpenAiRelay.End.UPSTREAM_BROKEN;
      }
      if (event == null) {
        // A Messages stream that ends before message_stop was cut off.
        return watch.fired() ? OpenAiRelay.End.UPSTREAM_IDLE
            : stopped ? OpenAiRelay.End.COMPLETE : OpenAiRelay.End.UPSTREAM_BROKEN;
      }
      watch.touch();
      meter.firstByte();
      stopped |= "message_stop".equals(event.name());
      try {
        JsonNode data = json.readTree(event.data());
        JsonNode u = "message_start".equals(event.name()) ? data.path("message").path("usage") : data.path("usage");
        input = Math.max(input, u.path("input_tokens").asLong(0));
        cached = Math.max(cached, u.path("cache_read_input_tokens").asLong(0));
        cacheWrite = Math.max(cacheWrite, u.path("cache_creation_input_tokens").asLong(0));
        output = Math.max(output, u.path("output_tokens").asLong(0));
        meter.streamed(data.path("delta").path("text").asText(null));
      } catch (IOException ignored) {
        // not JSON: relayed all the same
      }
      usage[0] = new Usage(input + cached + cacheWrite, output, cached, cacheWrite);
      try {
        out.write(event.raw().getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        return OpenAiRelay.End.CLIENT_GONE;
      }
    }
  }

  private Response viaOpenAi(CallContext call, Target target, ConnectionService.Upstream up, ObjectNode openAi)
      throws UpstreamClient.UpstreamFailure {
    UpstreamClient.Answer response = upstream.post(up, "/chat/completions", bridge.bytes(openAi));
    if (response.status() >= 300 || !call.stream()) {
      byte[] raw = readAll(call, target, up, response);
      JsonNode answer;
      try {
        answer = json.readTree(raw);
      } catch (IOException e) {
        ledger.record(call, target, up, 502, "upstream_broken");
        throw GatewayException.upstream(502, "The provider's answer was not JSON.");
      }
      if (response.status() >= 300) {
        throw bridge.upstreamError(call, target, up, response.status(), answer);
      }
      call.meter().reportedOpenAi(answer.get("usage"));
      ObjectNode translated = bridge.answer(call, target, up,
          () -> AnthropicTranslation.toAnthropicResponse((ObjectNode) answer, call.requested()));
      ledger.record(call, target, up, 200, null);
      return Response.ok(translated, MediaType.APPLICATION_JSON_TYPE).build();
    }
    long idle = up.options().number("idle_timeout_ms", ChatGateway.DEFAULT_IDLE_TIMEOUT_MS);
    StreamingOutput stream = out -> {
      OpenAiToAnthropicStream converter = new OpenAiToAnthropicStream(call.requested());
      OpenAiRelay.End end = OpenAiRelay.End.COMPLETE;
      try (InputStream in = response.body(); IdleWatchdog.Watch watch = watchdog.watch(in, idle)) {
        SseReader reader = new SseReader(in);
        SseReader.Event event;
        while ((event = next(reader, watch)) != null && !"[DONE]".equals(event.data())) {
          watch.touch();
          ObjectNode chunk = (ObjectNode) json.readTree(event.data());
          call.meter().firstByte();
          chunk.path("choices").forEach(c -> call.meter().streamed(c.path("delta").path("content").asText(null)));
          call.meter().reportedOpenAi(chunk.get("usage"));
          write(out, converter.onChunk(chunk));
        }
        if (event == null) {
          throw new UpstreamBroken(false); // a stream that ends without [DONE] was cut off
        }
        write(out, converter.finish());
      } catch (UpstreamBroken e) {
        end = e.idle ? OpenAiRelay.End.UPSTREAM_IDLE : OpenAiRelay.End.UPSTREAM_BROKEN;
        writeError(out, end);
      } catch (IOException e) {
        end = OpenAiRelay.End.CLIENT_GONE;
      }
      ledger.record(call, target, up, Streams.status(end), Streams.errorType(end));
    };
    return Streams.response(stream);
  }

  private Response mock(CallContext call, Target target, ConnectionService.Upstream up, ObjectNode openAi) {
    MockModel mock = new MockModel(up.options());
    long prompt = TokenCounter.prompt(openAi);
    if (!call.stream()) {
      ObjectNode answer = mock.completion(openAi, call.requested(), target.spec().upstreamModel(), prompt);
      call.meter().reportedOpenAi(answer.get("usage"));
      ledger.record(call, target, up, 200, null);
      return Response.ok(AnthropicTranslation.toAnthropicResponse(answer, call.requested()),
          MediaType.APPLICATION_JSON_TYPE).build();
    }
    StreamingOutput stream = out -> {
      OpenAiToAnthropicStream converter = new OpenAiToAnthropicStream(call.requested());
      List<String> words = mock.words(openAi, target.spec().upstreamModel());
      OpenAiRelay.End end = OpenAiRelay.End.COMPLETE;
      try {
        mock.waitForFirstToken();
        for (int i = 0; i < words.size(); i++) {
          if (i > 0) {
            mock.waitForNextToken();
          }
          call.meter().streamed(words.get(i));
          write(out, converter.onChunk(MockModel.chunk(call.requested(), words.get(i), null)));
        }
        write(out, converter.onChunk(MockModel.chunk(call.requested(), null, "stop")));
        write(out, converter.onChunk(MockModel.usageChunk(call.requested(), prompt, words.size())));
        write(out, converter.finish());
        call.meter().reported(prompt, words.size(), 0, 0);
      } catch (IOException e) {
        end = OpenAiRelay.End.CLIENT_GONE;
      }
      ledger.record(call, target, up, Streams.status(end), Streams.errorType(end));
    };
    return Streams.response(stream);
  }

  /** The client's request for an Anthropic upstream: its model, the version's cap and system prompt. */
  private static ObjectNode anthropicRequest(ObjectNode body, ServingSpec spec) {
    ObjectNode request = body.deepCopy();
    request.put("model", spec.upstreamModel());
    JsonNode max = request.get("max_tokens");
    if (spec.maxTokensCap() != null && max != null && max.asLong() > spec.maxTokensCap()) {
      request.put("max_tokens", spec.maxTokensCap());
    }
    if (spec.systemPrompt() != null) {
      JsonNode system = request.get("system");
      if (system == null || system.isNull()) {
        request.put("system", spec.systemPrompt());
      } else if (system.isTextual()) {
        request.put("system", spec.systemPrompt() + "\n\n" + system.asText());
      } else if (system.isArray()) {
        ArrayNode blocks = request.putArray("system");
        blocks.addObject().put("type", "text").put("text", spec.systemPrompt());
        system.forEach(blocks::add);
      }
    }
    return request;
  }

  /** Thrown out of the read loop so that a broken upstream and a gone client are told apart. */
  private static final class UpstreamBroken extends IOException {
    final boolean idle;

    UpstreamBroken(boolean idle) {
      this.idle = idle;
    }
  }

  private static SseReader.Event next(SseReader reader, IdleWatchdog.Watch watch) throws UpstreamBroken {
    try {
      SseReader.Event event = reader.next();
      if (event == null && watch.fired()) {
        throw new UpstreamBroken(true);
      }
      return event;
    } catch (UpstreamBroken e) {
      throw e;
    } catch (IOException e) {
      throw new UpstreamBroken(watch.fired());
    }
  }

  /**
   * Anthropic ends a stream that failed with an error event and nothing after it; without one a
   * client of a broken or stalled provider saw its stream just stop, as if the answer were whole.
   */
  private static void writeError(OutputStream out, OpenAiRelay.End end) {
    if (end != OpenAiRelay.End.UPSTREAM_BROKEN && end != OpenAiRelay.End.UPSTREAM_IDLE) {
      return;
    }
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("type", "error");
    data.putObject("error").put("type", "api_error").put("message", end == OpenAiRelay.End.UPSTREAM_IDLE
        ? "The provider stopped sending." : "The provider's stream broke off.");
    try {
      write(out, List.of(new SseEvent("error", data)));
    } catch (IOException ignored) {
      // the client is gone as well
    }
  }

  private static void write(OutputStream out, List<SseEvent> events) throws IOException {
    for (SseEvent event : events) {
      out.write(event.toWire().getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
  }

  private byte[] readAll(CallContext call, Target target, ConnectionService.Upstream up,
      UpstreamClient.Answer response) {
    try {
      call.meter().firstByte();
      return UpstreamClient.readWhole(response);
    } catch (IOException e) {
      ledger.record(call, target, up, 502, "upstream_broken");
      throw GatewayException.upstream(502, "The provider's answer broke off.");
    }
  }
}
