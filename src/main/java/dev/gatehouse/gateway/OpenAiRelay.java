package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Relays an OpenAI-format server-sent event stream chunk by chunk, reading usage and counting the
 * streamed text on the way. Blocking reads and writes: a slow client slows the relay (backpressure)
 * and memory per stream stays one line. Ends by telling how the stream ended.
 */
final class OpenAiRelay {
  /** How a relayed stream ended. */
  enum End { COMPLETE, CLIENT_GONE, UPSTREAM_BROKEN, UPSTREAM_IDLE }

  private OpenAiRelay() {}

  static End relay(InputStream upstream, OutputStream client, IdleWatchdog.Watch watch, Meter meter,
      boolean clientWantsUsage, ObjectMapper json) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(upstream, StandardCharsets.UTF_8), 8192);
    boolean skipping = false;
    boolean done = false;
    while (true) {
      String line;
      try {
        line = reader.readLine();
      } catch (IOException e) {
        return watch.fired() ? End.UPSTREAM_IDLE : End.UPSTREAM_BROKEN;
      }
      if (line == null) {
        // A stream that ends without [DONE] was cut off, even when the connection closed cleanly.
        return watch.fired() ? End.UPSTREAM_IDLE : done ? End.COMPLETE : End.UPSTREAM_BROKEN;
      }
      watch.touch();
      if (line.startsWith("data:")) {
        String payload = line.substring(5).trim();
        done |= payload.equals("[DONE]");
        skipping = !observe(payload, meter, clientWantsUsage, json);
      }
      if (skipping) {
        continue; // the usage-only chunk the client did not ask for, and its blank line
      }
      try {
        client.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        if (line.isEmpty()) {
          client.flush();
        }
      } catch (IOException e) {
        return End.CLIENT_GONE;
      }
    }
  }

  /** Reads one data payload; answers whether to pass it on to the client. */
  private static boolean observe(String payload, Meter meter, boolean clientWantsUsage, ObjectMapper json) {
    if (payload.equals("[DONE]")) {
      return true;
    }
    meter.firstByte();
    JsonNode chunk;
    try {
      chunk = json.readTree(payload);
    } catch (IOException e) {
      return true; // not ours to judge; pass it on
    }
    for (JsonNode choice : chunk.path("choices")) {
      meter.streamed(choice.path("delta").path("content").asText(null));
    }
    JsonNode usage = chunk.get("usage");
    if (usage != null && !usage.isNull()) {
      meter.reportedOpenAi(usage);
      return clientWantsUsage || chunk.path("choices").size() > 0;
    }
    return true;
  }

  /** An error event for a stream that broke after it started (the status line was already sent). */
  static void writeError(OutputStream client, String message) {
    try {
      client.write(("data: {\"error\":{\"message\":\"" + message + "\",\"type\":\"api_error\",\"code\":\"upstream_error\"}}"
          + "\n\n").getBytes(StandardCharsets.UTF_8));
      client.flush();
    } catch (IOException ignored) {
      // the client is gone as well
    }
  }
}
