package dev.gatehouse.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of request parts from the spec's schemas: plausible values (names of objects that
 * exist, enum members) mixed with hostile ones (SQL and path metacharacters, odd Unicode, huge and
 * empty strings, numbers no field can hold, nulls, wrong types, unknown fields).
 */
final class FuzzInputs {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 5;

  /** Strings that have broken parsers, queries and file paths elsewhere. */
  static final List<String> HOSTILE = List.of(
      "", " ", "..", "../../etc/passwd", "..\\..\\windows\\win.ini", "/", "a/b", "%2e%2e%2f", "%00", "\u0000",
      "'; DROP TABLE securables; --", "\" OR 1=1 --", "x' OR '1'='1", "%", "_", "*", "\\", "`", "$1", "?", "#", "&",
      "fz' UNION SELECT secret_hash FROM api_keys --", "名前", "ñandú", "😀", "\uD800", "\u202Eevil", "a\u200Bb",
      "İstanbul", "straße", "Ａ", "e\u0301", "a\nb", "\r\n", "\t", "\u0001\u001f", "{}", "null", "true", "-1", "1e400",
      "99999999999999999999999", "NaN", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "x".repeat(300),
      "y".repeat(70_000), "fz.s.m@champion", "fz.s.m@latest", "fz.s.m@0", "fz.s.m@-1", "fz..s", ".fz", "fz.", "a.b.c.d.e");

  /** Values that exist in the fixture, by the name of the field or parameter that holds them. */
  private final Map<String, List<String>> known;
  /** Whether values may be hostile; without, bodies are valid through and through and reach deeper. */
  private final boolean hostile;

  FuzzInputs(Map<String, List<String>> known) {
    this(known, true);
  }

  private FuzzInputs(Map<String, List<String>> known, boolean hostile) {
    this.known = known;
    this.hostile = hostile;
  }

  /** The same generators with only ordinary values. */
  FuzzInputs clean() {
    return new FuzzInputs(known, false);
  }

  Arbitrary<String> hostileText() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(HOSTILE)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(24)),
        Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMaxLength(24)));
  }

  Arbitrary<String> plainName() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_').ofMinLength(1).ofMaxLength(16)
        .map(s -> Character.isLetter(s.charAt(0)) ? s : "n" + s);
  }

  /** A text for field or parameter {@code name}: a known value, an ordinary name, or a hostile one. */
  Arbitrary<String> text(String name) {
    List<String> values = known.get(name);
    if (!hostile) {
      return values == null ? plainName() : Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(values)),
          Tuple.of(1, plainName()));
    }
    if (values == null) {
      return Arbitraries.frequencyOf(Tuple.of(3, plainName()), Tuple.of(2, hostileText()));
    }
    return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(values)), Tuple.of(2, plainName()),
        Tuple.of(3, hostileText()));
  }

  /** Integers fields may hold and ones no field can (negative, beyond 64 bits, fractions, 1e400). */
  Arbitrary<JsonNode> integer(String name) {
    if (!hostile) {
      return Arbitraries.longs().between(0, 5).map(JSON::numberNode);
    }
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(-2, 5).map(JSON::numberNode)),
        Tuple.of(2, Arbitraries.longs().map(JSON::numberNode)),
        Tuple.of(2, Arbitraries.of(new BigInteger("99999999999999999999999"), BigInteger.TWO.pow(63),
            BigInteger.TWO.pow(31)).map(JSON::numberNode)),
        Tuple.of(1, Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("1.5"), new BigDecimal("-0.0"))
            .map(JSON::numberNode)),
        Tuple.of(1, text(name).map(JSON::textNode)));
  }

  /** A text for a path or query parameter: as {@link #text}, short enough that the URI stays under Jetty's 8 KiB. */
  Arbitrary<String> paramText(String name) {
    return text(name).filter(s -> s.length() < 200);
  }

  /** A JSON value following {@code schema} most of the time; {@code name} is the field's name. */
  Arbitrary<JsonNode> value(String name, Schema<?> schema, int depth) {
    if (schema == null || depth > MAX_DEPTH) {
      return Arbitraries.just(JSON.textNode("leaf"));
    }
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      if (!hostile) {
        return Arbitraries.of(schema.getEnum()).map(v -> (JsonNode) JSON.textNode(String.valueOf(v)));
      }
      return Arbitraries.frequencyOf(
          Tuple.of(6, Arbitraries.of(schema.getEnum()).map(v -> (JsonNode) JSON.textNode(String.valueOf(v)))),
          Tuple.of(1, hostileText().map(JSON::textNode)));
    }
    String type = schema.getType() != null ? schema.getType()
        : schema.getTypes() != null && !schema.getTypes().isEmpty() ? schema.getTypes().iterator().next()
        : schema.getProperties() != null ? "object" : "string";
    return switch (type) {
      case "integer" -> integer(name);
      case "number" -> Arbitraries.frequencyOf(
          Tuple.of(3, Arbitraries.doubles().between(-10, 10).map(d -> (JsonNode) JSON.numberNode(d))),
          Tuple.of(1, integer(name)));
      case "boolean" -> Arbitraries.of(true, false).map(b -> (JsonNode) JSON.booleanNode(b));
      case "array" -> value(name, schema.getItems(), depth + 1).list().ofMaxSize(3).map(items -> {
        ArrayNode array = JSON.arrayNode();
        items.forEach(array::add);
        return (JsonNode) array;
      });
      case "object" -> object(schema, depth);
      default -> text(name).map(JSON::textNode);
    };
  }

  /** An object with its required fields and some of its optional ones, plus free-form entries. */
  Arbitrary<JsonNode> object(Schema<?> schema, int depth) {
    List<Arbitrary<ObjectNode>> parts = new ArrayList<>();
    Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    properties.forEach((field, fieldSchema) -> {
      Arbitrary<ObjectNode> present = value(field, fieldSchema, depth + 1).map(v -> JSON.objectNode().set(field, v));
      parts.add(required.contains(field) ? present
          : Arbitraries.frequencyOf(Tuple.of(1, present), Tuple.of(1, Arbitraries.create(JSON::objectNode))));
    });
    if (schema.getAdditionalProperties() instanceof Schema<?> extra) {
      parts.add(Arbitraries.maps(text("key"), value("value", extra, depth + 1)).ofMaxSize(3).map(map -> {
        ObjectNode node = JSON.objectNode();
        map.forEach(node::set);
        return node;
      }));
    }
    if (parts.isEmpty()) {
      return Arbitraries.create(JSON::objectNode);
    }
    return Combinators.combine(parts).as(nodes -> {
      ObjectNode merged = JSON.objectNode();
      nodes.forEach(merged::setAll);
      return merged;
    });
  }

  /** A body for {@code schema}: mostly valid in shape, else mutated the ways clients get it wrong. */
  Arbitrary<String> body(Schema<?> schema) {
    // copies: the mutations below must not reach values jqwik may hand out again
    Arbitrary<JsonNode> valid = value("body", schema, 0).map(JsonNode::deepCopy);
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    List<String> fields = schema.getProperties() == null ? List.of() : List.copyOf(schema.getProperties().keySet());
    List<Tuple.Tuple2<Integer, Arbitrary<String>>> choices = new ArrayList<>();
    choices.add(Tuple.of(6, valid.map(JsonNode::toString)));
    if (hostile) {
      choices.add(Tuple.of(4, clean().value("body", schema, 0).map(JsonNode::toString)));
    }
    choices.add(Tuple.of(1, valid.map(FuzzInputs::withUnknownFields)));
    choices.add(Tuple.of(1, Arbitraries.of(NOT_OBJECTS)));
    if (!required.isEmpty()) {
      choices.add(Tuple.of(2, Combinators.combine(valid, Arbitraries.of(required)).as((node, field) -> {
        ((ObjectNode) node).remove(field);
        return node.toString();
      })));
    }
    if (!fields.isEmpty()) {
      choices.add(Tuple.of(3, Combinators.combine(valid, Arbitraries.of(fields), Arbitraries.of(WRONG_TYPES))
          .as((node, field, wrong) -> {
            ((ObjectNode) node).set(field, wrong);
            return node.toString();
          })));
    }
    return Arbitraries.frequencyOf(choices.toArray(Tuple.Tuple2[]::new));
  }

  private static String withUnknownFields(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.put("made_up_field", "x").putNull("another_one").putObject("nested_unknown").put("a", 1);
    }
    return node.toString();
  }

  /** Bodies that are not the object the operation wants. */
  static final List<String> NOT_OBJECTS = List.of("", "null", "[]", "[{}]", "\"text\"", "42", "true", "{", "}",
      "{\"a\":}", "{'a': 1}", "{\"a\": 1,}", "[".repeat(100) + "]".repeat(100), "{\"a\":".repeat(60) + "1"
      + "}".repeat(60), "\uFEFF{}", "{\"name\": \"\\ud800\"}", "{\"name\": 1e400}", "{\"name\": NaN}");

  /** Values of the wrong type for any field. */
  private static final List<JsonNode> WRONG_TYPES = List.of(JSON.nullNode(), JSON.numberNode(7), JSON.booleanNode(true),
      JSON.textNode("wrong"), JSON.arrayNode().add(1).add("two"), JSON.objectNode().put("k", "v"),
      JSON.numberNode(new BigDecimal("1e400")), JSON.numberNode(new BigInteger("99999999999999999999999")),
      JSON.objectNode().set("deep", JSON.objectNode().set("deeper", JSON.arrayNode().add(JSON.objectNode()))));
}
