package dev.gatehouse.audit;

import dev.gatehouse.common.ErrorCode;
import dev.gatehouse.common.ErrorMappers;
import dev.gatehouse.common.Ids;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every state-changing API request one transaction with its audit event. The request runs
 * inside a Jdbi transaction bound to its thread (the services' own Jdbi calls join it); on success
 * the event is staged last and the whole commits, then, once the event is linked into the chain,
 * the held response is released. A failed
 * request is rolled back and its event written on its own. If the event cannot be written the
 * change is rolled back and the caller gets 503: there is no 2xx without its event. Reads are
 * recorded only when they were refused (401, 403, or an access check's 404).
 */
public class AuditHttpFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditHttpFilter.class);
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  private final Jdbi jdbi;
  private final AuditLog log;

  public AuditHttpFilter(Jdbi jdbi, AuditLog log) {
    this.jdbi = jdbi;
    this.log = log;
  }

  /** Signals a failed request out of the transaction so that Jdbi rolls it back. */
  private static final class RolledBack extends RuntimeException {
    RolledBack() {
      super(null, null, false, false);
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String requestId = Ids.newId();
    response.setHeader(REQUEST_ID_HEADER, requestId);
    AuditContext context = AuditContext.begin(requestId, request.getRemoteAddr(), request.getHeader("User-Agent"));
    try {
      if (READS.contains(request.getMethod()) || request.getRequestURI().startsWith("/v1/")) {
        context.readOnly = true;
        chain.doFilter(request, response);
        int status = response.getStatus();
        if (status == 401 || status == 403 || context.denied) {
          appendQuietly(context, status);
        }
        return;
      }
      changing(request, response, chain, context);
    } finally {
      AuditContext.end();
    }
  }

  private void changing(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
      AuditContext context) throws IOException {
    BufferedResponse buffered = new BufferedResponse(response);
    boolean made = false;
    Exception unavailable = null;
    log.changeStarting();
    try {
      made = jdbi.inTransaction((HandleCallback<Boolean, Exception>) h -> {
        chain.doFilter(request, buffered);
        int status = buffered.getStatus();
        if (status >= 400) {
          throw new RolledBack();
        }
        log.append(h, context, status, null);
        return true;
      });
    } catch (RolledBack failed) {
      // answered as the request failed; its event follows
    } catch (Exception e) {
      unavailable = e;
    } finally {
      log.changeEnding(); // before anything is answered
    }
    if (unavailable != null) {
      unavailable(response, unavailable); // and nothing of what the request had answered
      return;
    }
    if (made) {
      log.awaitLinked(context.requestId);
    } else {
      appendQuietly(context, buffered.getStatus());
    }
    buffered.release();
  }

  /** A failed request's event; the failure already reached the caller, so a write error is logged. */
  private void appendQuietly(AuditContext context, int status) {
    try {
      log.appendAlone(context, status, context.errorCode);
    } catch (RuntimeException e) {
      LOG.error("Could not write the audit event of failed request {}", context.requestId, e);
    }
  }

  private static void unavailable(HttpServletResponse response, Exception cause) throws IOException {
    // The database being down is said once per request in a line, not as a stack trace each time.
    boolean down = ErrorMappers.databaseUnavailableAnywhere(cause);
    if (down) {
      LOG.warn("Request not made, the database is unavailable: {}", cause.toString());
    } else {
      LOG.error("Request rolled back: its audit event could not be committed", cause);
    }
    response.resetBuffer();
    response.setStatus(ErrorCode.UNAVAILABLE.status());
    response.setContentType("application/json");
    // The request's body may be unread (the transaction could not even begin): Jetty then drops the
    // connection after this answer, and without this header the client sent its next request into it.
    response.setHeader("Connection", "close");
    byte[] body = ("{\"error_code\":\"UNAVAILABLE\",\"message\":\"" + (down ? ErrorMappers.DATABASE_UNAVAILABLE
        : "The change was not made: it could not be recorded in the audit log. Retry later.") + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
