package dev.gatehouse.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.SpecOperations;
import dev.gatehouse.testing.SpecOperations.Op;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.testing.WireChecks;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every operation of the spec, sent generated requests as the admin (who passes every permission
 * check, so the input itself is what is judged): path and query parameters and bodies from the
 * schemas, valid or mutated. Each answer must have a status the spec declares for the operation,
 * never a 5xx, and errors in the shape of their API with nothing of the server's insides.
 */
class FuzzApiTest {
  /**
   * ~15 requests per operation: the class stays under a minute per database even on a 2-core box
   * under a load of 14 (about 15 s on an idle one).
   */
  private static final int TRIES = 1_200;
  /** The fuzzer deletes what the fixture made, too; it is made again this often. */
  private static final int RESEED_EVERY = 150;

  private static final TestServer server = new TestServer();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final AtomicInteger sent = new AtomicInteger();
  /** Per operation, the statuses it answered: printed at the end, to show what was reached. */
  private static final Map<String, Map<Integer, Integer>> seen = new ConcurrentHashMap<>();
  private static List<Op> ops;
  private static FuzzFixture fixture;
  private static FuzzInputs inputs;

  @BeforeContainer
  static void start() {
    ops = SpecOperations.load();
    server.start();
    fixture = new FuzzFixture(server);
    fixture.seed();
    inputs = new FuzzInputs(fixture.knownFields());
  }

  @AfterContainer
  static void stop() {
    server.stop();
    System.out.println("FuzzApiTest: " + sent.get() + " requests; statuses per operation: " + new TreeMap<>(seen));
  }

  /** One generated request and the operation it is for. */
  record FuzzRequest(Op op, String path, String body) {
    @Override
    public String toString() {
      String shown = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
      return op + ": " + op.method() + " " + path + " " + shown;
    }
  }

  @Property(tries = TRIES)
  void everyAnswerIsDeclaredShapedAndFreeOfInternals(@ForAll("requests") FuzzRequest request) throws Exception {
    if (sent.incrementAndGet() % RESEED_EVERY == 0) {
      fixture.seed();
    }
    HttpResponse<String> response = send(request);
    int status = response.statusCode();
    seen.computeIfAbsent(request.op().toString(), k -> new ConcurrentHashMap<>()).merge(status, 1, Integer::sum);
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    List<String> problems = new ArrayList<>(WireChecks.problems(request.op().wire(), status, contentType,
        response.body()));
    if (!request.op().declared().contains(status) && !uriTooLongForTheServer(request, status)) {
      problems.add("status " + status + " is not declared (declared: " + request.op().declared() + ")");
    }
    assertThat(problems).as("%s%n-> %d %s", request, status, response.body()).isEmpty();
  }

  /**
   * A request line longer than the server's header buffer (8 KiB) is answered 414 by the HTTP server
   * before any operation is reached, so no operation declares it; its shape is still checked. A 414
   * for a shorter URI is not excused.
   */
  private static boolean uriTooLongForTheServer(FuzzRequest request, int status) {
    return status == 414 && request.path().length() > 8 * 1024;
  }

  @Provide
  Arbitrary<FuzzRequest> requests() {
    return Arbitraries.of(ops).flatMap(this::requestFor);
  }

  private Arbitrary<FuzzRequest> requestFor(Op op) {
    List<Arbitrary<String>> segments = new ArrayList<>();
    for (Parameter p : op.pathParams()) {
      segments.add(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(fixture.knownPathValues(op.path(), p.getName()))),
          Tuple.of(2, inputs.paramText(p.getName()).filter(FuzzApiTest::staysInItsRoute))));
    }
    List<Arbitrary<Optional<String>>> query = new ArrayList<>();
    for (Parameter p : op.queryParams()) {
      Arbitrary<String> value = queryValue(p).map(v -> encode(p.getName()) + "=" + encode(v));
      query.add(Boolean.TRUE.equals(p.getRequired()) ? value.map(Optional::of) : value.optional(0.5));
    }
    Schema<?> schema = bodySchema(op);
    Arbitrary<String> body = schema == null ? Arbitraries.just(null) : inputs.body(schema);
    Arbitrary<String> path = Combinators.combine(segments.isEmpty() ? List.of(Arbitraries.just("")) : segments)
        .as(values -> expand(op, values));
    Arbitrary<String> queryString = query.isEmpty() ? Arbitraries.just("")
        : Combinators.combine(query).as(parts -> {
          List<String> present = parts.stream().flatMap(Optional::stream).toList();
          return present.isEmpty() ? "" : "?" + String.join("&", present);
        });
    return Combinators.combine(path, queryString, body).as((p, q, b) -> new FuzzRequest(op, p + q, b));
  }

  /**
   * An empty segment or one of dots is not a value of the parameter: the URI then names another
   * route ({@code /catalogs/} is the list, {@code /catalogs/..} its parent), which answers for itself.
   */
  private static boolean staysInItsRoute(String segment) {
    return !segment.isEmpty() && !segment.matches("\\.+");
  }

  private Arbitrary<String> queryValue(Parameter p) {
    Schema<?> schema = p.getSchema();
    if (schema != null && schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(schema.getEnum()).map(String::valueOf)),
          Tuple.of(1, inputs.paramText(p.getName())));
    }
    String type = schema == null ? "string" : String.valueOf(schema.getType());
    return switch (type) {
      case "integer" -> inputs.integer(p.getName()).map(JsonNode::asText);
      case "boolean" -> Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("true", "false")),
          Tuple.of(1, inputs.paramText(p.getName())));
      default -> inputs.paramText(p.getName());
    };
  }

  /**
   * The body schema; the inference endpoints declare theirs as free objects (the providers define
   * them), so here is what the gateway reads of them.
   */
  private static Schema<?> bodySchema(Op op) {
    if (!op.path().startsWith("/v1/") || op.body() == null) {
      return op.body();
    }
    Schema<?> content = new ObjectSchema().addProperty("type", new StringSchema()._enum(List.of("text", "image_url")))
        .addProperty("text", new StringSchema());
    Schema<?> message = new ObjectSchema().addProperty("role", new StringSchema()
            ._enum(List.of("user", "assistant", "system", "tool", "developer")))
        .addProperty("content", new StringSchema()).addProperty("name", new StringSchema());
    message.setRequired(List.of("role", "content"));
    ObjectSchema body = new ObjectSchema();
    body.addProperty("model", new StringSchema());
    if (op.path().equals("/v1/embeddings")) {
      body.addProperty("input", new ArraySchema().items(new StringSchema()));
      body.setRequired(List.of("model", "input"));
      return body;
    }
    body.addProperty("messages", new ArraySchema().items(message))
        .addProperty("stream", new BooleanSchema())
        .addProperty("max_tokens", new IntegerSchema())
        .addProperty("temperature", new NumberSchema())
        .addProperty("stream_options", new ObjectSchema().addProperty("include_usage", new BooleanSchema()))
        .addProperty("system", new ArraySchema().items(content));
    body.setRequired(op.path().equals("/v1/messages") ? List.of("model", "messages", "max_tokens")
        : List.of("model", "messages"));
    return body;
  }

  private static String expand(Op op, List<String> values) {
    String path = op.path();
    for (int i = 0; i < op.pathParams().size(); i++) {
      path = path.replace("{" + op.pathParams().get(i).getName() + "}", encodeSegment(values.get(i)));
    }
    return path;
  }

  /** Percent-encodes all but unreserved characters, so that a value stays one path segment. */
  static String encodeSegment(String value) {
    return encode(value).replace("+", "%20");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> send(FuzzRequest request) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.baseUrl() + request.path()))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + TestServer.ADMIN_KEY);
    if (request.body() == null) {
      builder.method(request.op().method(), HttpRequest.BodyPublishers.noBody());
    } else {
      builder.method(request.op().method(), HttpRequest.BodyPublishers.ofString(request.body()))
          .header("Content-Type", "application/json");
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
