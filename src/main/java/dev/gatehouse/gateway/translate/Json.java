package dev.gatehouse.gateway.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/** JSON helpers shared by both directions; both APIs spell a text part the same way, which several rely on. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** True when the field is absent or JSON null: both APIs treat an explicit null as "not given". */
  static boolean absent(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull();
  }

  /** The elements of an array field, or none when absent; anything else is refused with the field's path. */
  static List<JsonNode> elements(JsonNode node, String param) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new TranslationException(param, "expected an array");
    }
    List<JsonNode> out = new ArrayList<>();
    node.forEach(out::add);
    return out;
  }

  /** A text part {@code {"type":"text","text":...}}, the same in OpenAI and Anthropic. */
  static ObjectNode textPart(String text) {
    return object().put("type", "text").put("text", text);
  }

  /** Message content given as a string or an array of parts, as parts: a string is one text part. */
  static List<JsonNode> parts(JsonNode content, String param) {
    if (content != null && content.isTextual()) {
      return List.of(textPart(content.asText()));
    }
    if (!absent(content) && !content.isArray()) {
      throw new TranslationException(param, "expected a string or an array of content parts");
    }
    return elements(content, param);
  }

  /**
   * Content that may only hold text (a system prompt, a tool result) given as a string or an array of text parts,
   * as text parts. Empty texts are dropped because Anthropic refuses empty text blocks.
   */
  static List<ObjectNode> textParts(JsonNode content, String param) {
    List<ObjectNode> parts = new ArrayList<>();
    List<JsonNode> given = parts(content, param);
    for (int i = 0; i < given.size(); i++) {
      JsonNode part = given.get(i);
      if (!"text".equals(part.path("type").asText())) {
        throw new TranslationException(param + "[" + i + "].type", "only text parts are allowed here");
      }
      addText(parts, part.path("text").asText());
    }
    return parts;
  }

  /** Adds a text part unless the text is empty, which Anthropic refuses. */
  static void addText(List<ObjectNode> parts, String text) {
    if (!text.isEmpty()) {
      parts.add(textPart(text));
    }
  }

  /** Parts written back as the plain string clients and servers expect when they are one text, else as the array. */
  static JsonNode stringOrParts(List<ObjectNode> parts) {
    if (parts.size() == 1 && "text".equals(parts.get(0).path("type").asText())) {
      return TextNode.valueOf(parts.get(0).get("text").asText());
    }
    return array().addAll(parts);
  }

  /** Parses JSON text from a client; a syntax error becomes a TranslationException naming {@code param}. */
  static ObjectNode parseObject(String json, String param) {
    JsonNode parsed;
    try {
      // Models and clients send "" for a function without arguments; Anthropic needs an object.
      parsed = json == null || json.isBlank() ? object() : MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new TranslationException(param, "not valid JSON: " + e.getOriginalMessage());
    }
    if (!parsed.isObject()) {
      throw new TranslationException(param, "expected a JSON object");
    }
    return (ObjectNode) parsed;
  }
}
