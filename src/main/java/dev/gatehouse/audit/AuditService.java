package dev.gatehouse.audit;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.PageRequest;
import java.util.List;
import java.util.Locale;

/** The auditor's questions: filtered pages, exports and chain verification. */
public class AuditService {
  private final AuditLog log;

  public AuditService(AuditLog log) {
    this.log = log;
  }

  public record EventPage(List<AuditEvent> events, String nextPageToken) {}

  public EventPage page(AuditFilter filter, Integer maxResults, String pageToken) {
    PageRequest page = PageRequest.of(maxResults, pageToken);
    List<AuditEvent> rows = log.page(filter, cursor(page.after()), page.fetchSize());
    if (rows.size() <= page.limit()) {
      return new EventPage(rows, null);
    }
    List<AuditEvent> events = rows.subList(0, page.limit());
    AuditEvent last = events.get(events.size() - 1);
    return new EventPage(events, PageRequest.token(last.eventTime() + ":" + last.seq()));
  }

  /** The token names the last event served by its sort key, event_time and seq. */
  private static AuditDao.Cursor cursor(String after) {
    if (after == null) {
      return null;
    }
    String[] parts = after.split(":", -1);
    try {
      if (parts.length == 2) {
        return new AuditDao.Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal below
    }
    throw GatehouseException.invalid("'page_token' is not a token this server issued.");
  }

  /** Builds a filter from query parameters, validating the status expression and the time range. */
  public static AuditFilter filter(String actor, String action, String service, String fullName,
      String fullNamePrefix, String status, Long from, Long to) {
    Integer statusFrom = null;
    Integer statusTo = null;
    if (status != null && !status.isBlank()) {
      String s = status.trim().toLowerCase(Locale.ROOT);
      if (s.equals("success")) {
        statusFrom = 100;
        statusTo = 399;
      } else if (s.equals("failure")) {
        statusFrom = 400;
        statusTo = 599;
      } else if (s.matches("[1-5]xx")) {
        statusFrom = (s.charAt(0) - '0') * 100;
        statusTo = statusFrom + 99;
      } else if (s.matches("[1-5][0-9][0-9]")) {
        statusFrom = Integer.parseInt(s);
        statusTo = statusFrom;
      } else {
        throw GatehouseException.invalid("'status' must be a code (403), a class (4xx), success or failure.");
      }
    }
    if (from != null && to != null && from >= to) {
      throw GatehouseException.invalid("'from' must be before 'to'.");
    }
    return new AuditFilter(blankToNull(actor), blankToNull(action), blankToNull(service),
        blankToNull(fullName), blankToNull(fullNamePrefix), statusFrom, statusTo, from, to);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
