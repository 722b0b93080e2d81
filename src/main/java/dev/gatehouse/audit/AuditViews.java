package dev.gatehouse.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Stored events to the wire: the API model, JSON lines and CSV. */
final class AuditViews {
  static final String CSV_HEADER = "seq,event_id,event_time,request_id,actor_name,actor_type,api_key_id,source_ip,"
      + "user_agent,service,action_name,securable_type,full_name,request_params,details,status_code,error_code,"
      + "prev_hash,hash";
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private AuditViews() {}

  static dev.gatehouse.api.model.AuditEvent event(AuditEvent e, ObjectMapper json) {
    return new dev.gatehouse.api.model.AuditEvent()
        .seq(e.seq()).eventId(e.eventId()).eventTime(e.eventTime()).requestId(e.requestId())
        .actorName(e.actorName()).actorType(e.actorType()).apiKeyId(e.apiKeyId()).sourceIp(e.sourceIp())
        .userAgent(e.userAgent()).service(e.service()).actionName(e.actionName())
        .securableType(e.securableType()).fullName(e.fullName())
        .requestParams(map(e.requestParams(), json)).details(map(e.details(), json))
        .statusCode(e.statusCode()).errorCode(e.errorCode()).prevHash(e.prevHash()).hash(e.hash());
  }

  static void writeLine(AuditEvent e, boolean csv, ObjectMapper json, OutputStream out) {
    try {
      if (csv) {
        String line = Stream.of(e.seq(), e.eventId(), e.eventTime(), e.requestId(), e.actorName(), e.actorType(),
                e.apiKeyId(), e.sourceIp(), e.userAgent(), e.service(), e.actionName(), e.securableType(),
                e.fullName(), e.requestParams(), e.details(), e.statusCode(), e.errorCode(), e.prevHash(), e.hash())
            .map(AuditViews::csvCell)
            .collect(Collectors.joining(","));
        out.write(line.getBytes(StandardCharsets.UTF_8));
      } else {
        out.write(json.writeValueAsBytes(event(e, json)));
      }
      out.write('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static String csvCell(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    // Quote every cell that could split a row or start a spreadsheet formula.
    if (text.isEmpty() || text.matches(".*[,\"\r\n].*") || "=+-@".indexOf(text.charAt(0)) >= 0) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }

  private static Map<String, Object> map(String text, ObjectMapper json) {
    if (text == null) {
      return null;
    }
    try {
      return json.readValue(text, MAP);
    } catch (IOException e) {
      return Map.of("unparsed", text);
    }
  }
}
