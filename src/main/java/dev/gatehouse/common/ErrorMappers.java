package dev.gatehouse.common;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ParamException;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of the HTTP API becomes {"error_code","message"} here, and only here. Internal
 * failures are logged with their stack trace and answered without one.
 */
public final class ErrorMappers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

  /** SQL states of text the database cannot store: invalid byte sequence, untranslatable character. */
  private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

  private ErrorMappers() {}

  public static Object[] all() {
    return new Object[] {new Known(), new Json(), new Web(), new Violations(), new Fallback()};
  }

  /**
   * The answer the registered mappers give {@code e}, for code that runs outside Jersey (the
   * inference servlet): its entity is an {@link ErrorBody}.
   */
  public static Response answer(Throwable e) {
    if (e instanceof JsonProcessingException json) {
      return new Json().toResponse(json);
    }
    if (e instanceof WebApplicationException web) {
      return new Web().toResponse(web);
    }
    return toResponse(e);
  }

  /** Turns any throwable into a response; shared by the mappers so that causes are looked at once. */
  static Response toResponse(Throwable e) {
    Response known = known(e);
    if (known != null) {
      return known;
    }
    LOG.error("Unexpected error", e);
    return ErrorBody.response(ErrorCode.INTERNAL_ERROR, "Internal error.");
  }

  /** The response for a failure of a kind this knows, else null (and nothing logged). */
  private static Response known(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof GatehouseException g) {
        return ErrorBody.response(g.code(), g.getMessage());
      }
      if (t instanceof BodyTooLargeException b) {
        return ErrorBody.response(ErrorCode.REQUEST_TOO_LARGE, b.getMessage());
      }
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return ErrorBody.response(ErrorCode.ALREADY_EXISTS, "The object already exists.");
      }
      if (t instanceof SQLException sql && UNSTORABLE_TEXT.contains(sql.getSQLState())) {
        // PostgreSQL refuses the NUL character (U+0000) in text, which JSON can carry; H2 stores it.
        return ErrorBody.response(ErrorCode.INVALID_ARGUMENT, "Text may not contain the NUL character (U+0000).");
      }
      if (databaseUnavailable(t)) {
        LOG.warn("Database unavailable: {}", t.toString());
        return ErrorBody.response(ErrorCode.UNAVAILABLE, DATABASE_UNAVAILABLE);
      }
    }
    return null;
  }

  public static final String DATABASE_UNAVAILABLE = "The database is unavailable; retry later.";

  /** Whether {@code e} or one of its causes says the database cannot be reached. */
  public static boolean databaseUnavailableAnywhere(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (databaseUnavailable(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean databaseUnavailable(Throwable t) {
    return t instanceof SQLTransientConnectionException || t instanceof ConnectionException
        || t instanceof SQLException sql && lostDatabase(sql.getSQLState());
  }

  /**
   * SQL states of a database that went away under a running statement: class 08 (connection
   * exception, e.g. 08006 when the server's socket closed) and PostgreSQL's shutdown states
   * (57P01 administrator command, 57P02 crash, 57P03 cannot connect now). They were 500s.
   */
  static boolean lostDatabase(String state) {
    return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
        || state.equals("57P03"));
  }

  static final class Known implements ExceptionMapper<GatehouseException> {
    @Override
    public Response toResponse(GatehouseException e) {
      return ErrorBody.response(e.code(), e.getMessage());
    }
  }

  static final class Json implements ExceptionMapper<JsonProcessingException> {
    /** Jackson names its own setting in limit messages ("from `StreamReadConstraints...`"): not for callers. */
    private static final Pattern JACKSON_REFERENCE = Pattern.compile(", from `[^`]*`");

    @Override
    public Response toResponse(JsonProcessingException e) {
      // A body over the cap or a check in a model's constructor surfaces wrapped by Jackson; any other
      // cause (an enum's "Unexpected value", a number out of range) is the client's bad value.
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof BodyTooLargeException || t instanceof GatehouseException) {
          return ErrorMappers.toResponse(t);
        }
      }
      return ErrorBody.response(ErrorCode.INVALID_ARGUMENT, describe(e));
    }

    private static String describe(JsonProcessingException e) {
      // A limit hit inside a field arrives wrapped in a mapping error that would only name the field.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StreamConstraintsException limit) {
          return "Request body exceeds a limit: " + JACKSON_REFERENCE.matcher(limit.getOriginalMessage()).replaceAll("");
        }
      }
      if (e instanceof JsonParseException) {
        return "Malformed JSON: " + e.getOriginalMessage();
      }
      if (e instanceof MismatchedInputException m && m.getOriginalMessage().startsWith("Missing required")) {
        return "'" + field(m) + "' is required.";
      }
      if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
        return "Invalid value for field '" + field(m) + "'.";
      }
      return "Invalid request body.";
    }

    private static String field(JsonMappingException m) {
      String path = m.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."))
          .replace(".[", "[");
      if (m instanceof MismatchedInputException mi && mi.getOriginalMessage().startsWith("Missing required")) {
        int start = mi.getOriginalMessage().indexOf('\'');
        int end = mi.getOriginalMessage().indexOf('\'', start + 1);
        if (start >= 0 && end > start) {
          String missing = mi.getOriginalMessage().substring(start + 1, end);
          return path.isEmpty() ? missing : path + "." + missing;
        }
      }
      return path;
    }
  }

  static final class Web implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      if (e instanceof ParamException p) {
        return ErrorBody.response(ErrorCode.INVALID_ARGUMENT,
            "Invalid value for parameter '" + p.getParameterName() + "'.");
      }
      if (e.getCause() != null && !(e.getCause() instanceof WebApplicationException)) {
        // Only a cause of a known kind overrides the status; any other (Jersey's "no reader for
        // application/octet-stream" under its 415) was logged as an unexpected error on every request.
        Response inner = known(e.getCause());
        if (inner != null) {
          return inner;
        }
      }
      int status = e.getResponse().getStatus();
      return switch (status) {
        case 401 -> ErrorBody.response(ErrorCode.UNAUTHENTICATED, "A valid API key is required.");
        case 404 -> ErrorBody.response(ErrorCode.NOT_FOUND, "No such endpoint.");
        case 405 -> ErrorBody.response(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed.");
        case 406 -> ErrorBody.response(ErrorCode.NOT_ACCEPTABLE, "Not acceptable.");
        case 413 -> ErrorBody.response(ErrorCode.REQUEST_TOO_LARGE, "Request body too large.");
        case 415 -> ErrorBody.response(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Unsupported content type; send application/json.");
        default -> status >= 500
            ? ErrorMappers.toResponse(e)
            : ErrorBody.response(status, ErrorCode.INVALID_ARGUMENT.name(), "Bad request.");
      };
    }
  }

  static final class Violations implements ExceptionMapper<ConstraintViolationException> {
    @Override
    public Response toResponse(ConstraintViolationException e) {
      String message = e.getConstraintViolations().stream()
          .map(Violations::describe)
          .sorted()
          .collect(Collectors.joining("; "));
      return ErrorBody.response(ErrorCode.INVALID_ARGUMENT, message.isEmpty() ? "Invalid request." : message);
    }

    private static String describe(ConstraintViolation<?> v) {
      String path = v.getPropertyPath().toString();
      // Jersey names parameters "method.argN"; keep the last node, which names the field.
      int dot = path.lastIndexOf('.');
      String field = dot >= 0 ? path.substring(dot + 1) : path;
      if (field.startsWith("arg") || field.isEmpty()) {
        field = "request body";
      }
      return field + " " + v.getMessage();
    }
  }

  static final class Fallback implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      return ErrorMappers.toResponse(e);
    }
  }
}
