package dev.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.common.ErrorCode;
import dev.gatehouse.testing.SpecOperations.Wire;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What any answer of the server must look like, whatever was sent: no 5xx, errors in the shape of
 * their API (DESIGN.md: {"error_code","message"} on the catalog and admin APIs, the provider's own on
 * /v1), and nothing of the server's insides (stack frames, exception or Java class names).
 */
public final class WireChecks {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Stack frames, exception names and the packages of the libraries the server is made of. */
  private static final Pattern INSIDES = Pattern.compile(
      "(?m)^\\s*at [\\w$.]+\\(|\\bCaused by:|\\w+Exception\\b|StreamReadConstraints|"
          + "\\b(java|javax|jakarta|sun|jdk)\\.[a-z]+\\.|\\b(com\\.fasterxml|org\\.(eclipse|glassfish|h2|postgresql|jdbi"
          + "|apache|hibernate|flywaydb)|dev\\.gatehouse|io\\.dropwizard)\\.|<html|<HTML");
  private static final List<String> CODES = Arrays.stream(ErrorCode.values()).map(Enum::name).toList();

  private WireChecks() {}

  /** The problems of one answer to bad input (empty when it is fine): a 5xx is one. */
  public static List<String> problems(Wire wire, int status, String contentType, String body) {
    List<String> problems = new ArrayList<>();
    if (status >= 500) {
      problems.add("status " + status);
    }
    problems.addAll(shapeProblems(wire, status, contentType, body));
    return problems;
  }

  /** The problems of an answer whatever its status (a fault may rightly be a 502, 503 or 504). */
  public static List<String> shapeProblems(Wire wire, int status, String contentType, String body) {
    List<String> problems = new ArrayList<>();
    if (INSIDES.matcher(body).find()) {
      problems.add("server internals in the body");
    }
    boolean json = contentType != null && contentType.startsWith("application/json");
    if (status < 400) {
      if (json && parse(body) == null) {
        problems.add("a 2xx JSON answer that does not parse");
      }
      return problems;
    }
    if (!json) {
      problems.add("error with content type " + contentType);
      return problems;
    }
    JsonNode error = parse(body);
    String shape = error == null ? "not JSON" : switch (wire) {
      case API -> apiShape(error, status);
      case OPENAI -> openAiShape(error);
      case ANTHROPIC -> anthropicShape(error);
    };
    if (shape != null) {
      problems.add("error shape: " + shape);
    }
    return problems;
  }

  private static String apiShape(JsonNode error, int status) {
    if (!error.isObject() || error.size() != 2 || !error.path("error_code").isTextual()
        || !error.path("message").isTextual() || error.path("message").asText().isBlank()) {
      return "want exactly {error_code, message}";
    }
    String code = error.get("error_code").asText();
    if (!CODES.contains(code)) {
      return "unknown error_code " + code;
    }
    int expected = ErrorCode.valueOf(code).status();
    // INVALID_ARGUMENT also stands for the odd 4xx no code of its own names (DESIGN.md lists the codes).
    return expected == status || code.equals("INVALID_ARGUMENT") && status < 500 ? null
        : code + " with status " + status;
  }

  private static String openAiShape(JsonNode body) {
    JsonNode error = body.path("error");
    return body.size() == 1 && error.path("message").isTextual() && error.path("type").isTextual() ? null
        : "want {error: {message, type, param, code}}";
  }

  private static String anthropicShape(JsonNode body) {
    JsonNode error = body.path("error");
    return "error".equals(body.path("type").asText()) && error.path("type").isTextual()
        && error.path("message").isTextual() ? null : "want {type: error, error: {type, message}}";
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
