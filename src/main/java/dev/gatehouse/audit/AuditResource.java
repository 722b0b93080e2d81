package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.api.AuditApi;
import dev.gatehouse.api.model.AuditVerification;
import dev.gatehouse.api.model.ListAuditEventsResponse;
import dev.gatehouse.common.GatehouseException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The auditor API. Who may read it is decided by the {@link AuditReadGuard} given at wiring. */
public class AuditResource implements AuditApi {
  private final AuditService audit;
  private final AuditLog log;
  private final AuditReadGuard guard;
  private final ObjectMapper json;

  /** Decides whether the current caller may read the audit log (403 otherwise). */
  @FunctionalInterface
  public interface AuditReadGuard {
    void check();
  }

  public AuditResource(AuditService audit, AuditLog log, AuditReadGuard guard, ObjectMapper json) {
    this.audit = audit;
    this.log = log;
    this.guard = guard;
    this.json = json;
  }

  @Override
  public Response listAuditEvents(String actor, String action, String service, String fullName,
      String fullNamePrefix, String status, Long from, Long to, Integer maxResults, String pageToken) {
    guard.check();
    var page = audit.page(AuditService.filter(actor, action, service, fullName, fullNamePrefix, status, from, to),
        maxResults, pageToken);
    return Response.ok(new ListAuditEventsResponse()
        .events(page.events().stream().map(e -> AuditViews.event(e, json)).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response exportAuditEvents(String format, String actor, String action, String service, String fullName,
      String fullNamePrefix, String status, Long from, Long to) {
    guard.check();
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"jsonl".equals(format)) {
      throw GatehouseException.invalid("'format' must be jsonl or csv.");
    }
    AuditFilter filter = AuditService.filter(actor, action, service, fullName, fullNamePrefix, status, from, to);
    StreamingOutput body = raw -> {
      OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
      if (csv) {
        out.write((AuditViews.CSV_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
      }
      log.export(filter, e -> AuditViews.writeLine(e, csv, json, out));
      out.flush();
    };
    return Response.ok(body, csv ? "text/csv" : "application/x-ndjson")
        .header("Content-Disposition", "attachment; filename=audit." + (csv ? "csv" : "jsonl"))
        .build();
  }

  @Override
  public Response verifyAuditChain() {
    guard.check();
    AuditLog.Verification v = log.verify();
    return Response.ok(new AuditVerification().ok(v.ok()).eventsChecked(v.eventsChecked()).anchorSeq(v.anchorSeq())
        .lastSeq(v.lastSeq()).brokenSeq(v.brokenSeq()).brokenEventId(v.brokenEventId()).reason(v.reason())).build();
  }
}
