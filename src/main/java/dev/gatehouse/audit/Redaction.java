package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Replaces the values of secret-looking fields (keys, secrets, passwords, tokens) before storage. */
final class Redaction {
  static final String MASK = "***";
  private static final Pattern SECRET = Pattern.compile(
      "(key|secret|password|passwd|token|authorization|apikey|.*_(key|secret|password|token)|.*credential.*)");

  private Redaction() {}

  static boolean isSecret(String fieldName) {
    return SECRET.matcher(fieldName.toLowerCase(Locale.ROOT)).matches();
  }

  static JsonNode redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (isSecret(field.getKey()) && !field.getValue().isNull()) {
          field.setValue(TextNode.valueOf(MASK));
        } else {
          redact(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(Redaction::redact);
    }
    return node;
  }
}
