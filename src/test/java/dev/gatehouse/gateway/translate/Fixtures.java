package dev.gatehouse.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads the provider payloads under src/test/resources/translate and compares JSON the way the wire sees it. */
final class Fixtures {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/translate/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("No fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode json(String name) {
    return parse(text(name));
  }

  /** A fixture holding a JSON array, such as a list of expected chunks. */
  static JsonNode jsonArray(String name) {
    return parse("{\"array\": " + text(name) + "}").get("array");
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The events of a server-sent event stream; the OpenAI end marker {@code [DONE]} is not JSON and is left out. */
  static List<SseEvent> sse(String name) {
    List<SseEvent> events = new ArrayList<>();
    for (String block : text(name).split("\n\n")) {
      String event = null;
      String data = null;
      for (String line : block.strip().split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data = line.substring("data: ".length());
        }
      }
      if (data != null && !data.equals("[DONE]")) {
        events.add(new SseEvent(event, parse(data)));
      }
    }
    return events;
  }

  /**
   * Compares as the client would after reading the wire: Jackson tells an int node from a long node of the same
   * value, which no client can see, so the actual tree is written and read back first.
   */
  static void assertSameJson(JsonNode actual, JsonNode expected) {
    JsonNode wire = parse("{\"v\":" + actual + "}").get("v");
    assertThat(wire).as("actual %s%nexpected %s", actual.toPrettyString(), expected.toPrettyString())
        .isEqualTo(expected);
  }

  /** What an OpenAI client makes of a stream: the text and the tool calls assembled from the chunks' deltas. */
  static ObjectNode assembleOpenAi(List<ObjectNode> chunks) {
    StringBuilder text = new StringBuilder();
    ObjectNode calls = MAPPER.createObjectNode();
    for (ObjectNode chunk : chunks) {
      JsonNode delta = chunk.path("choices").path(0).path("delta");
      text.append(delta.path("content").asText(""));
      for (JsonNode call : delta.path("tool_calls")) {
        ObjectNode assembled = calls.has(call.path("index").asText())
            ? (ObjectNode) calls.get(call.path("index").asText()) : calls.putObject(call.path("index").asText());
        if (call.has("id")) {
          assembled.put("id", call.get("id").asText()).put("name", call.path("function").path("name").asText());
        }
        assembled.put("arguments", assembled.path("arguments").asText("")
            + call.path("function").path("arguments").asText(""));
      }
    }
    ObjectNode message = MAPPER.createObjectNode().put("content", text.toString());
    message.set("tool_calls", calls);
    return message;
  }
}
