package dev.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks JSON answers against the schemas of the Unity Catalog specification we are compatible
 * with (../shared/reference/unitycatalog/all.yaml beside the repository): every field must be one
 * the reference defines (or a named extension), of its type, and enum values must be its values.
 */
public final class ReferenceSpec {
  public static final Path LOCATION = Path.of("..", "shared", "reference", "unitycatalog", "all.yaml");
  private final JsonNode schemas;

  private ReferenceSpec(JsonNode root) {
    this.schemas = root.path("components").path("schemas");
  }

  public static boolean available() {
    return Files.isRegularFile(LOCATION);
  }

  public static ReferenceSpec load() {
    try {
      return new ReferenceSpec(new ObjectMapper(new YAMLFactory()).readTree(LOCATION.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The problems of {@code value} against schema {@code name}; extensions are allowed field names anywhere. */
  public List<String> problems(String name, JsonNode value, Set<String> extensions) {
    List<String> problems = new ArrayList<>();
    check(schemas.path(name), value, name, extensions, problems);
    return problems;
  }

  private void check(JsonNode schema, JsonNode value, String path, Set<String> extensions, List<String> out) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      check(schemas.path(ref.substring(ref.lastIndexOf('/') + 1)), value, path, extensions, out);
      return;
    }
    String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          out.add(path + " is not an object");
          return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          JsonNode property = schema.path("properties").path(field.getKey());
          if (!property.isMissingNode()) {
            check(property, field.getValue(), path + "." + field.getKey(), extensions, out);
          } else if (schema.has("additionalProperties")) {
            check(schema.get("additionalProperties"), field.getValue(), path + "." + field.getKey(), extensions, out);
          } else if (!extensions.contains(field.getKey())) {
            out.add(path + "." + field.getKey() + " is not in the reference schema");
          }
        }
        schema.path("required").forEach(r -> {
          if (!value.has(r.asText())) {
            out.add(path + "." + r.asText() + " is required");
          }
        });
      }
      case "array" -> {
        if (!value.isArray()) {
          out.add(path + " is not an array");
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          check(schema.path("items"), value.get(i), path + "[" + i + "]", extensions, out);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          out.add(path + " is not a string");
        } else if (schema.has("enum")) {
          boolean known = false;
          for (JsonNode e : schema.get("enum")) {
            known |= e.asText().equals(value.asText());
          }
          if (!known) {
            out.add(path + " = " + value.asText() + " is not one of the reference's values");
          }
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          out.add(path + " is not an integer");
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          out.add(path + " is not a boolean");
        }
      }
      default -> { /* untyped in the reference: anything goes */ }
    }
  }
}
