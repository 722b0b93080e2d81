package dev.gatehouse.audit;

/** One stored audit event; {@code hash} covers every other field and {@code prevHash}. */
public record AuditEvent(
    long seq,
    String eventId,
    long eventTime,
    String requestId,
    String actorName,
    String actorType,
    String apiKeyId,
    String sourceIp,
    String userAgent,
    String service,
    String actionName,
    String securableType,
    String fullName,
    String requestParams,
    String details,
    int statusCode,
    String errorCode,
    String prevHash,
    String hash) {
  /** How many fields an event has: the columns of audit_events. */
  public static final int FIELDS = AuditEvent.class.getRecordComponents().length;
}
