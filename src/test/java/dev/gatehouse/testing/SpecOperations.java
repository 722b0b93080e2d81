package dev.gatehouse.testing;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;

/**
 * Every operation of {@code openapi/gatehouse.yaml}, read with swagger-parser and every {@code $ref}
 * resolved, reduced to what a test needs to build requests and judge answers: parameters, the body
 * schema and the statuses the spec declares.
 */
public final class SpecOperations {
  /** Which error shape an operation answers with. */
  public enum Wire { API, OPENAI, ANTHROPIC }

  /** One operation; {@code body} is null when it takes none. */
  public record Op(String id, String method, String path, List<Parameter> pathParams, List<Parameter> queryParams,
      Schema<?> body, boolean bodyRequired, Set<Integer> declared, Wire wire) {
    @Override
    public String toString() {
      return method + " " + path + " (" + id + ")";
    }
  }

  private SpecOperations() {}

  public static List<Op> load() {
    // Before a server has configured logging, logback's default prints swagger-parser's DEBUG lines.
    if (LoggerFactory.getLogger("io.swagger") instanceof ch.qos.logback.classic.Logger swagger) {
      swagger.setLevel(ch.qos.logback.classic.Level.WARN);
    }
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    String location = Path.of("openapi", "gatehouse.yaml").toAbsolutePath().toUri().toString();
    SwaggerParseResult result = new OpenAPIParser().readLocation(location, null, options);
    OpenAPI api = result.getOpenAPI();
    if (api == null || api.getPaths() == null || api.getPaths().isEmpty()) {
      throw new IllegalStateException("The spec did not parse: " + result.getMessages());
    }
    List<Op> ops = new ArrayList<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) ->
        ops.add(op(path, item, method, op))));
    return ops;
  }

  private static Op op(String path, PathItem item, PathItem.HttpMethod method, Operation op) {
    Map<String, Parameter> params = new LinkedHashMap<>();
    // Operation-level parameters override path-level ones of the same name and place.
    for (List<Parameter> level : List.of(nonNull(item.getParameters()), nonNull(op.getParameters()))) {
      level.forEach(p -> params.put(p.getIn() + ":" + p.getName(), p));
    }
    List<Parameter> inPath = params.values().stream().filter(p -> "path".equals(p.getIn())).toList();
    List<Parameter> inQuery = params.values().stream().filter(p -> "query".equals(p.getIn())).toList();
    Schema<?> body = null;
    boolean required = false;
    if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
      MediaType json = op.getRequestBody().getContent().get("application/json");
      body = json == null ? null : json.getSchema();
      required = Boolean.TRUE.equals(op.getRequestBody().getRequired());
    }
    Set<Integer> declared = new TreeSet<>();
    op.getResponses().keySet().stream().filter(k -> k.matches("\\d{3}")).forEach(k -> declared.add(Integer.parseInt(k)));
    Wire wire = !path.startsWith("/v1/") ? Wire.API : path.equals("/v1/messages") ? Wire.ANTHROPIC : Wire.OPENAI;
    return new Op(op.getOperationId(), method.name(), path, inPath, inQuery, body, required, declared, wire);
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
