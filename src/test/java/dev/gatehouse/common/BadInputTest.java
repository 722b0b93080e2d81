package dev.gatehouse.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.SpecOperations;
import dev.gatehouse.testing.SpecOperations.Op;
import dev.gatehouse.testing.SpecOperations.Wire;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.testing.WireChecks;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bad inputs of issue 9 one by one, on the catalog and admin APIs and on /v1: bodies far over
 * the cap, absurd nesting, numbers no field holds, bytes that are not UTF-8, traversal and SQL
 * metacharacters in every string field, unknown fields, wrong and missing content types, and
 * requests Jetty itself refuses. Always a 4xx in the shape of the API, never a hang or a 5xx.
 */
class BadInputTest {
  private static final String CATALOGS = "/api/2.1/unity-catalog/catalogs";
  private static final String CHAT = "/v1/chat/completions";
  private static final long HUNDRED_MB = 100L * 1024 * 1024;

  @RegisterExtension
  static final TestServer server = new TestServer();
  private static FuzzFixture fixture;

  @BeforeAll
  static void objects() {
    fixture = new FuzzFixture(server);
    fixture.seed();
  }

  @Test
  void aHundredMegabyteBodyIsAnswered413BeforeItIsRead() throws IOException {
    for (String path : List.of(CATALOGS, CHAT)) {
      for (boolean chunked : List.of(false, true)) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
            + "\r\nContent-Type: application/json\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + HUNDRED_MB + "\r\n") + "\r\n";
        // valid JSON as far as it goes: only its size can refuse it
        var body = RawHttp.repeated("{\"name\": \"big\", \"model\": \"fz.s.m\"".getBytes(StandardCharsets.UTF_8),
            (byte) ' ', HUNDRED_MB);
        RawHttp.Answer answer = RawHttp.exchange(server.port(), head.getBytes(StandardCharsets.US_ASCII), body,
            chunked, 120_000);
        String what = path + (chunked ? " chunked" : " with Content-Length");
        assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(413);
        assertThat(WireChecks.problems(wire(path), 413, answer.header("Content-Type"), answer.body())).as(what)
            .isEmpty();
        // answered long before the client was done: the server neither read nor held the whole body
        assertThat(answer.bodyBytesSentBeforeAnswer()).as(what).isLessThan(HUNDRED_MB / 2);
      }
    }
    assertThat(server.call("GET", CATALOGS, null, TestServer.ADMIN_KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void deepNestingIs400() {
    String arrays = "[".repeat(100_000) + "]".repeat(100_000);
    String objects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
    for (String path : List.of(CATALOGS, CHAT, "/v1/messages")) {
      for (String body : List.of(arrays, objects, "{\"name\":\"n\",\"model\":\"fz.s.m\",\"x\":" + arrays + "}")) {
        HttpResponse<String> response = post(path, body);
        assertClean(path, response);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
      }
    }
  }

  @Test
  void numbersNoFieldHoldsAre400() {
    for (String huge : List.of("1e400", "99999999999999999999999", "-99999999999999999999999", "1.5")) {
      List<HttpResponse<String>> responses = List.of(
          call("PUT", "/api/2.1/unity-catalog/models/fz.s.m/aliases/big", "{\"version_num\": " + huge + "}"),
          call("PATCH", "/api/2.1/unity-catalog/models/fz.s.m/versions/1/finalize",
              "{\"full_name\": \"fz.s.m\", \"version\": " + huge + "}"),
          post("/api/1.0/gatehouse/api-keys", "{\"name\": \"k\", \"expires_at\": " + huge + "}"),
          call("GET", CATALOGS + "?max_results=" + huge, null),
          call("GET", "/api/2.1/unity-catalog/models/fz.s.m/versions/" + huge, null));
      for (HttpResponse<String> response : responses) {
        assertClean(response.uri().getPath(), response);
        assertThat(response.statusCode()).as("%s %s", response.uri(), response.body()).isIn(400, 404);
      }
      // The gateway passes sampling numbers on to the provider, which judges them; no 5xx here.
      for (String field : List.of("max_tokens", "temperature", "n")) {
        HttpResponse<String> response = post(CHAT, "{\"model\": \"fz.s.m\", \"messages\": [{\"role\": \"user\", "
            + "\"content\": \"hi\"}], \"" + field + "\": " + huge + "}");
        assertClean(CHAT, response);
      }
    }
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedCleanly() throws IOException {
    byte[] badName = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', (byte) 0xC3, '(', (byte) 0xFF, '"', '}'};
    for (String path : List.of(CATALOGS, CHAT, "/v1/messages")) {
      HttpResponse<String> response = server.sendOnce(server.adminRequest(path)
          .header("Content-Type", "application/json").POST(BodyPublishers.ofByteArray(badName)));
      assertClean(path, response);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
    }
    for (String path : List.of(CATALOGS + "/%FF%FE", CATALOGS + "?page_token=%C3%28", "/api/2.1/unity-catalog/tables/a.b.%C0%AF")) {
      HttpResponse<String> response = call("GET", path, null);
      assertClean(path, response);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
    }
    // raw bytes in the request line, which no URI class lets through
    byte[] head = ("GET " + CATALOGS + "/x\u00ff\u00fe HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + TestServer.ADMIN_KEY + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    RawHttp.Answer answer = RawHttp.exchange(server.port(), head, null, false, 30_000);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(WireChecks.problems(Wire.API, 400, answer.header("Content-Type"), answer.body())).isEmpty();
  }

  @Test
  void traversalAndSqlMetacharactersInEveryStringFieldAndParameter() {
    List<String> hostile = List.of("../../../etc/passwd", "'; DROP TABLE securables; --", "%' OR '1'='1");
    FuzzInputs clean = new FuzzInputs(fixture.knownFields()).clean();
    List<String> problems = new ArrayList<>();
    int sent = 0;
    for (Op op : SpecOperations.load()) {
      String path = validPath(op);
      if (op.body() != null && !op.path().startsWith("/v1/")) {
        JsonNode sample = clean.value("body", op.body(), 0).sample();
        for (List<Object> field : textFields(sample, new ArrayList<>(), new ArrayList<>())) {
          for (String value : hostile) {
            JsonNode body = sample.deepCopy();
            set(body, field, value);
            problems.addAll(check(op, path, body.toString()));
            sent++;
          }
        }
      }
      for (int i = 0; i < op.pathParams().size(); i++) {
        for (String value : hostile) {
          String name = op.pathParams().get(i).getName();
          String bad = op.path().replace("{" + name + "}", FuzzApiTest.encodeSegment(value));
          for (var p : op.pathParams()) {
            bad = bad.replace("{" + p.getName() + "}", fixture.knownPathValues(op.path(), p.getName()).get(0));
          }
          problems.addAll(check(op, bad, op.body() == null ? null : "{}"));
          sent++;
        }
      }
    }
    assertThat(problems).as("of %d requests", sent).isEmpty();
    assertThat(sent).isGreaterThan(300);
    // nothing was dropped or widened: the fixture is all there and a metacharacter filter matches nothing
    fixture.seed();
    assertThat(call("GET", CATALOGS + "/fz", null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/api/2.1/unity-catalog/tables/fz.s.t", null).statusCode()).isEqualTo(200);
    HttpResponse<String> injected = call("GET", "/api/1.0/unity-control/scim2/Users?filter="
        + FuzzApiTest.encodeSegment("userName eq \"x' OR '1'='1\""), null);
    assertThat(injected.statusCode()).isEqualTo(200);
    assertThat(injected.body()).contains("\"totalResults\":0");
  }

  @Test
  void unknownFieldsAreIgnoredAndNotEchoed() {
    HttpResponse<String> catalog = post(CATALOGS, "{\"name\": \"extra\", \"made_up\": {\"deep\": [1, 2]}, \"x\": null}");
    assertThat(catalog.statusCode()).as(catalog.body()).isEqualTo(200);
    assertThat(catalog.body()).doesNotContain("made_up");
    HttpResponse<String> chat = post(CHAT, "{\"model\": \"fz.s.m\", \"messages\": [{\"role\": \"user\", \"content\": "
        + "\"hi\", \"made_up\": 1}], \"made_up\": {\"a\": 1}}");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
  }

  @Test
  void wrongOrMissingContentTypesAre415() {
    for (String path : List.of(CATALOGS, CHAT, "/v1/messages")) {
      for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded", "application/octet-stream")) {
        HttpResponse<String> response = server.sendOnce(server.adminRequest(path).header("Content-Type", type)
            .POST(BodyPublishers.ofString("{\"name\": \"typed\"}")));
        assertClean(path, response);
        assertThat(response.statusCode()).as(path + " " + type).isEqualTo(415);
      }
      // the JDK client sends no Content-Type unless told
      HttpResponse<String> missing = server.sendOnce(server.adminRequest(path)
          .POST(BodyPublishers.ofString("{\"name\": \"untyped\"}")));
      assertClean(path, missing);
      assertThat(missing.statusCode()).as(path + " without a type").isEqualTo(415);
    }
    HttpResponse<String> patch = server.sendOnce(server.adminRequest(CATALOGS + "/fz").header("Content-Type", "text/csv")
        .method("PATCH", BodyPublishers.ofString("comment,x")));
    assertClean(CATALOGS, patch);
    assertThat(patch.statusCode()).isEqualTo(415);
  }

  @Test
  void requestsJettyRefusesAreAnsweredInTheShapeOfTheirApi() throws IOException {
    for (String path : List.of(CATALOGS + "/a%2Fb", CATALOGS + "/%25", "/api/2.1/unity-catalog/tags//fz",
        CATALOGS + "/%2e%2e%2fsecret", "/v1/chat/%2e%2e/completions")) {
      HttpResponse<String> response = call("GET", path, null);
      assertClean(path, response);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
    }
    String longQuery = CATALOGS + "?page_token=" + "a".repeat(20_000);
    HttpResponse<String> tooLong = call("GET", longQuery, null);
    assertClean(CATALOGS, tooLong);
    assertThat(tooLong.statusCode()).isEqualTo(414);
    HttpResponse<String> bigHeaders = server.sendOnce(server.adminRequest("/v1/models").header("X-Big", "b".repeat(20_000)));
    assertClean("/v1/models", bigHeaders);
    assertThat(bigHeaders.statusCode()).isEqualTo(431);
    // the connection such a request came on is closed and says so; the server goes on serving
    byte[] head = ("GET " + longQuery + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(RawHttp.exchange(server.port(), head, null, false, 30_000).header("Connection")).isEqualTo("close");
    assertThat(call("GET", CATALOGS, null).statusCode()).isEqualTo(200);
  }

  // --- helpers

  private static List<String> check(Op op, String path, String body) {
    HttpResponse<String> response = body == null ? call(op.method(), path, null) : call(op.method(), path, body);
    List<String> problems = new ArrayList<>(WireChecks.problems(op.wire(), response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null), response.body()));
    if (!op.declared().contains(response.statusCode())) {
      problems.add("undeclared status " + response.statusCode());
    }
    return problems.isEmpty() ? List.of() : List.of(op + " " + path + " " + body + " -> " + response.statusCode() + " "
        + response.body() + " " + problems);
  }

  /** The path of {@code op} with every parameter naming a fixture object. */
  private static String validPath(Op op) {
    String path = op.path();
    for (var p : op.pathParams()) {
      path = path.replace("{" + p.getName() + "}", fixture.knownPathValues(op.path(), p.getName()).get(0));
    }
    return path;
  }

  /** The paths (field names and array indexes) of every text value in {@code node}. */
  private static List<List<Object>> textFields(JsonNode node, List<Object> at, List<List<Object>> found) {
    if (node.isTextual()) {
      found.add(List.copyOf(at));
    } else if (node.isObject()) {
      node.fieldNames().forEachRemaining(name -> {
        at.add(name);
        textFields(node.get(name), at, found);
        at.remove(at.size() - 1);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        at.add(i);
        textFields(node.get(i), at, found);
        at.remove(at.size() - 1);
      }
    }
    return found;
  }

  private static void set(JsonNode root, List<Object> path, String value) {
    JsonNode parent = root;
    for (int i = 0; i < path.size() - 1; i++) {
      Object step = path.get(i);
      parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
    }
    Object last = path.get(path.size() - 1);
    if (last instanceof Integer index) {
      ((ArrayNode) parent).set(index, value);
    } else {
      ((ObjectNode) parent).put((String) last, value);
    }
  }

  private static Wire wire(String path) {
    return !path.startsWith("/v1/") ? Wire.API : path.startsWith("/v1/messages") ? Wire.ANTHROPIC : Wire.OPENAI;
  }

  private static void assertClean(String path, HttpResponse<String> response) {
    assertThat(WireChecks.problems(wire(path), response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null), response.body()))
        .as("%s -> %d %s", path, response.statusCode(), response.body()).isEmpty();
  }

  private static HttpResponse<String> post(String path, String body) {
    return call("POST", path, body);
  }

  /** On the shared client: every answer that closes its connection now says so (see the Jetty case above). */
  private static HttpResponse<String> call(String method, String path, String body) {
    HttpRequest.Builder request = server.adminRequest(path);
    if (body == null) {
      request.method(method, BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body));
    }
    return server.send(request);
  }
}
