package dev.gatehouse.common;

import static dev.gatehouse.testing.ApiAssertions.assertRawError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input over raw HTTP: always a 4xx in the error shape, never a 5xx, HTML or a stack trace. */
class ErrorHandlingTest {
  private static final String CATALOGS = "/api/2.1/unity-catalog/catalogs";
  private static final int MIB = 1024 * 1024;

  @RegisterExtension
  static final TestServer server = new TestServer();

  @Test
  void malformedJsonIs400() {
    for (String body : new String[] {"{", "{\"name\": }", "not json", "[1,2", "{\"name\": \"x\"} trailing", ""}) {
      assertRawError(post(CATALOGS, body), 400, "INVALID_ARGUMENT");
    }
  }

  @Test
  void aMissingRequiredFieldIs400() {
    assertRawError(post(CATALOGS, "{}"), 400, "INVALID_ARGUMENT");
    assertRawError(post(CATALOGS, "null"), 400, "INVALID_ARGUMENT");
    assertRawError(post("/api/1.0/gatehouse/api-keys", "{}"), 400, "INVALID_ARGUMENT");
  }

  @Test
  void wrongTypesAre400() {
    assertRawError(post(CATALOGS, "{\"name\": \"typed1\", \"properties\": \"x\"}"), 400, "INVALID_ARGUMENT");
    assertRawError(post(CATALOGS, "{\"name\": \"typed2\", \"properties\": {\"k\": {\"nested\": 1}}}"), 400,
        "INVALID_ARGUMENT");
    assertRawError(post(CATALOGS, "{\"name\": {\"a\": 1}}"), 400, "INVALID_ARGUMENT");
    assertRawError(post(CATALOGS, "{\"name\": [\"a\"]}"), 400, "INVALID_ARGUMENT");
    assertRawError(post(CATALOGS, "[]"), 400, "INVALID_ARGUMENT");
    assertRawError(post("/api/1.0/gatehouse/api-keys", "{\"name\": \"k\", \"expires_at\": \"soon\"}"), 400,
        "INVALID_ARGUMENT");
    assertRawError(post("/api/1.0/gatehouse/api-keys", "{\"name\": \"k\", \"expires_at\": 1e400}"), 400,
        "INVALID_ARGUMENT");
    assertRawError(server.sendOnce(server.adminRequest(CATALOGS + "?max_results=many")), 400, "INVALID_ARGUMENT");
    assertRawError(server.sendOnce(server.adminRequest(CATALOGS + "?max_results=99999999999")), 400, "INVALID_ARGUMENT");
  }

  @Test
  void aNumberWhereANameIsExpectedIsTakenAsItsText() {
    // Jackson's default scalar coercion: 5 becomes "5", itself a valid name. Pinned here so that a
    // change to it is a decision, not an accident.
    HttpResponse<String> response = post(CATALOGS, "{\"name\": 5}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"name\":\"5\"");
  }

  @Test
  void aBodyOverTheCapIs413WithContentLength() {
    assertRawError(post(CATALOGS, paddedTo(MIB + 1)), 413, "REQUEST_TOO_LARGE");
  }

  @Test
  void aChunkedBodyOverTheCapIs413() {
    byte[] body = paddedTo(2 * MIB).getBytes(StandardCharsets.UTF_8);
    // no length known up front: the client sends Transfer-Encoding: chunked
    HttpRequest.Builder request = server.adminRequest(CATALOGS).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    assertRawError(server.sendOnce(request), 413, "REQUEST_TOO_LARGE");
  }

  @Test
  void aBodyJustUnderTheCapIsRead() {
    HttpResponse<String> response = post(CATALOGS, paddedTo(MIB));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"name\":\"padded\"");
  }

  @Test
  void absurdNestingIs400() {
    // in an unknown field, which the mapper skips: the tokenizer must still stop at the depth limit
    String deep = "{\"name\": \"deep\", \"extra\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    HttpResponse<String> arrays = post(CATALOGS, deep);
    assertRawError(arrays, 400, "INVALID_ARGUMENT");
    assertThat(arrays.body()).contains("nesting depth");
    String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    HttpResponse<String> objects = post(CATALOGS, deepObjects);
    assertRawError(objects, 400, "INVALID_ARGUMENT");
    assertThat(objects.body()).contains("nesting depth").doesNotContain("StreamReadConstraints");
  }

  @Test
  void absurdStringsAreRefused() {
    // over the body cap
    // Sent chunked: a declared length this far over the cap is refused before the body is read and the
    // connection closed, and a client still writing 2 MB may then see a reset instead of the 413.
    // Read as it streams, the string trips the parser's limit (400) before the body cap (413).
    byte[] twoMb = ("{\"name\": \"" + "n".repeat(2 * MIB) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> huge = server.sendOnce(server.adminRequest(CATALOGS).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(twoMb))));
    assertThat(huge.statusCode()).isIn(400, 413);
    assertRawError(huge, huge.statusCode(), huge.statusCode() == 413 ? "REQUEST_TOO_LARGE" : "INVALID_ARGUMENT");
    // under the body cap but over the parser's string limit (1,000,000 characters): 400
    String longString = "{\"name\": \"" + "n".repeat(1_000_001) + "\"}";
    HttpResponse<String> response = post(CATALOGS, longString);
    assertRawError(response, 400, "INVALID_ARGUMENT");
    assertThat(response.body()).as("the message says which limit").contains("String value length")
        .doesNotContain("StreamReadConstraints");
  }

  @Test
  void unknownPathsAre404InTheErrorShape() {
    assertRawError(server.sendOnce(server.adminRequest("/api/2.1/unity-catalog/nothing-here")), 404, "NOT_FOUND");
    assertRawError(server.sendOnce(server.adminRequest("/")), 404, "NOT_FOUND");
    assertRawError(server.sendOnce(server.request("/no/such/path")), 404, "NOT_FOUND");
  }

  @Test
  void wrongMethodIs405() {
    assertRawError(server.sendOnce(server.adminRequest(CATALOGS).PUT(BodyPublishers.ofString("{}"))), 405,
        "METHOD_NOT_ALLOWED");
  }

  @Test
  void wrongContentTypeIs415() {
    HttpRequest.Builder text = server.adminRequest(CATALOGS).header("Content-Type", "text/plain")
        .POST(BodyPublishers.ofString("{\"name\": \"texty\"}"));
    assertRawError(server.sendOnce(text), 415, "UNSUPPORTED_MEDIA_TYPE");
    HttpRequest.Builder form = server.adminRequest(CATALOGS).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("name=formy"));
    assertRawError(server.sendOnce(form), 415, "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void anUnacceptableAcceptIs406() {
    assertRawError(server.sendOnce(server.adminRequest(CATALOGS).header("Accept", "text/html")), 406, "NOT_ACCEPTABLE");
  }

  @Test
  void badInputOnEveryApiStaysA4xx() {
    String[] paths = {CATALOGS, "/api/2.1/unity-catalog/schemas", "/api/1.0/unity-control/scim2/Users",
        "/api/1.0/unity-control/scim2/Groups", "/api/1.0/unity-control/scim2/ServicePrincipals",
        "/api/1.0/gatehouse/api-keys"};
    String[] bodies = {"{", "[]", "{\"name\": {}}", "{\"Operations\": 5}", "\"just a string\"", "{\"members\": 7}",
        "{\"emails\": \"x\"}", "{\"active\": \"perhaps\"}", "{\"userName\": 12, \"displayName\": []}"};
    for (String path : paths) {
      for (String body : bodies) {
        HttpResponse<String> response = post(path, body);
        assertThat(response.statusCode()).as("%s %s -> %s", path, body, response.body()).isBetween(400, 499);
        assertRawError(response, response.statusCode(), errorCode(response));
      }
    }
  }

  /**
   * A valid body of {@code size} bytes made big by whitespace, so that nothing but its size can
   * refuse it (a long string would trip the parser's string limit first).
   */
  private static String paddedTo(int size) {
    String start = "{\"name\": \"padded\"";
    return start + " ".repeat(size - start.length() - 1) + "}";
  }

  private static String errorCode(HttpResponse<String> response) {
    return response.body().replaceAll(".*\"error_code\":\"([A-Z_]+)\".*", "$1");
  }

  private static HttpResponse<String> post(String path, String body) {
    return server.sendOnce(server.adminRequest(path).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body)));
  }
}
