package dev.gatehouse.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the request being handled on this thread tells the audit log: filled in by the layers it
 * passes (the HTTP filter, authentication, the matched resource method, access checks, services)
 * and read once when its event is written. Features add to it; the audit log knows none of them.
 */
public final class AuditContext {
  private static final ThreadLocal<AuditContext> CURRENT = new ThreadLocal<>();
  /** Stands in when no request is being handled (commands, background tasks): accepts and forgets. */
  private static final AuditContext NONE = new AuditContext("none", null, null);

  final String requestId;
  final String sourceIp;
  final String userAgent;
  String actorName;
  String actorType;
  String apiKeyId;
  String service;
  String action;
  String securableType;
  String fullName;
  boolean targetExplicit;
  boolean denied;
  String errorCode;
  final Map<String, Object> params = new LinkedHashMap<>();
  final Map<String, Object> details = new LinkedHashMap<>();
  /** A read (GET, or an inference call): it may be served from read caches. See {@link ChangeEpoch}. */
  boolean readOnly;
  long epoch = ChangeEpoch.UNKNOWN;

  AuditContext(String requestId, String sourceIp, String userAgent) {
    this.requestId = requestId;
    this.sourceIp = sourceIp;
    this.userAgent = userAgent;
  }

  static AuditContext begin(String requestId, String sourceIp, String userAgent) {
    AuditContext context = new AuditContext(requestId, sourceIp, userAgent);
    CURRENT.set(context);
    return context;
  }

  static void end() {
    CURRENT.remove();
  }

  public static AuditContext current() {
    AuditContext context = CURRENT.get();
    return context == null ? NONE : context;
  }

  public String requestId() {
    return requestId;
  }

  public void actor(String name, String type, String keyId) {
    if (this != NONE) {
      actorName = name;
      actorType = type;
      apiKeyId = keyId;
    }
  }

  public void action(String service, String action) {
    if (this != NONE) {
      this.service = service;
      this.action = action;
    }
  }

  /** The securable the request acts on, as the service names it. */
  public void target(String securableType, String fullName) {
    if (this != NONE) {
      this.securableType = securableType;
      this.fullName = fullName;
      this.targetExplicit = true;
    }
  }

  /** The securable an access check looked at; kept only while no service named the target. */
  public void checked(String securableType, String fullName) {
    if (this != NONE && !targetExplicit) {
      this.securableType = securableType;
      this.fullName = fullName;
    }
  }

  /** An access check refused the caller (including a 404 for an object it may not see). */
  public void denied() {
    denied = true;
  }

  void errorCode(String code) {
    errorCode = code;
  }

  public void param(String name, Object value) {
    if (this != NONE && value != null) {
      params.put(name, value);
    }
  }

  /** Extra facts of the change, such as "before" and "after" for grants and alias moves. */
  public void detail(String name, Object value) {
    if (this != NONE) {
      details.put(name, value);
    }
  }
}
