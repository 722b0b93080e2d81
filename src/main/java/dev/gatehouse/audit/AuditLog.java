package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.common.Ids;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Appends events to the hash chain, and reads, verifies and archives it. */
public class AuditLog {
  static final int VERIFY_BATCH = 5_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final ObjectMapper json;
  private final boolean enabled;

  public AuditLog(Jdbi jdbi, Clock clock, ObjectMapper json, boolean enabled) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.json = json;
    this.enabled = enabled;
  }

  /** The verdict of a walk along the chain. */
  public record Verification(boolean ok, long eventsChecked, long anchorSeq, long lastSeq, Long brokenSeq,
      String brokenEventId, String reason) {}

  /**
   * Writes the request's event in the caller's transaction: takes the head lock, links the event
   * to the previous hash, moves the head. Commit soon after: the lock is held until then.
   */
  public void append(Handle h, AuditContext context, int statusCode, String errorCode) {
    if (!enabled) {
      return;
    }
    AuditDao dao = h.attach(AuditDao.class);
    AuditDao.Head head = dao.lockHead();
    long seq = head.lastSeq() + 1;
    AuditEvent unsigned = new AuditEvent(seq, Ids.newId(), clock.millis(), context.requestId, context.actorName,
        context.actorType, context.apiKeyId, context.sourceIp, truncate(context.userAgent, 512),
        context.service == null ? "api" : context.service, context.action == null ? "unknown" : context.action,
        context.securableType, context.fullName, toJson(context.params, true), toJson(context.details, false),
        statusCode, errorCode, head.lastHash(), null);
    String hash = AuditChain.hash(unsigned, head.lastHash());
    dao.insert(new AuditEvent(seq, unsigned.eventId(), unsigned.eventTime(), unsigned.requestId(),
        unsigned.actorName(), unsigned.actorType(), unsigned.apiKeyId(), unsigned.sourceIp(), unsigned.userAgent(),
        unsigned.service(), unsigned.actionName(), unsigned.securableType(), unsigned.fullName(),
        unsigned.requestParams(), unsigned.details(), statusCode, errorCode, head.lastHash(), hash));
    dao.moveHead(seq, hash);
  }

  /** Writes an event in a transaction of its own (failed requests, denied reads). */
  public void appendAlone(AuditContext context, int statusCode, String errorCode) {
    jdbi.useTransaction(h -> append(h, context, statusCode, errorCode));
  }

  public java.util.List<AuditEvent> page(AuditFilter filter, AuditDao.Cursor after, int limit) {
    return jdbi.withHandle(h -> h.attach(AuditDao.class).page(filter, after, limit));
  }

  /** Streams every matching event, newest first, in constant memory. */
  public void export(AuditFilter filter, Consumer<AuditEvent> sink) {
    jdbi.useTransaction(h -> h.attach(AuditDao.class).stream(filter, null, 0, sink));
  }

  /** Walks the chain from the latest retention anchor (or the start) to the head. */
  public Verification verify() {
    return jdbi.withHandle(h -> {
      AuditDao dao = h.attach(AuditDao.class);
      var anchor = dao.latestAnchor();
      long anchorSeq = anchor.map(AuditDao.Anchor::archivedThroughSeq).orElse(0L);
      String expectedPrev = anchor.map(AuditDao.Anchor::anchorHash).orElse(AuditChain.GENESIS);
      long expectedSeq = anchorSeq + 1;
      long checked = 0;
      long after = anchorSeq;
      while (true) {
        var batch = dao.chainAfter(after, VERIFY_BATCH);
        for (AuditEvent e : batch) {
          if (e.seq() != expectedSeq) {
            return broken(checked, anchorSeq, e, "event " + expectedSeq + " is missing");
          }
          if (!e.prevHash().equals(expectedPrev)) {
            return broken(checked, anchorSeq, e, "prev_hash does not match the previous event's hash");
          }
          if (!AuditChain.intact(e, expectedPrev)) {
            return broken(checked, anchorSeq, e, "hash does not match the event's content");
          }
          expectedPrev = e.hash();
          expectedSeq++;
          checked++;
          after = e.seq();
        }
        if (batch.size() < VERIFY_BATCH) {
          break;
        }
      }
      AuditDao.Head head = dao.head();
      if (head.lastSeq() != expectedSeq - 1 || (checked > 0 && !head.lastHash().equals(expectedPrev))) {
        return new Verification(false, checked, anchorSeq, expectedSeq - 1, expectedSeq, null,
            "the chain ends at " + (expectedSeq - 1) + " but its head says " + head.lastSeq());
      }
      return new Verification(true, checked, anchorSeq, expectedSeq - 1, null, null, null);
    });
  }

  private static Verification broken(long checked, long anchorSeq, AuditEvent e, String reason) {
    return new Verification(false, checked, anchorSeq, e.seq() - 1, e.seq(), e.eventId(), reason);
  }

  private String toJson(Map<String, Object> values, boolean redact) {
    if (values.isEmpty()) {
      return null;
    }
    JsonNode tree = json.valueToTree(values);
    String text = (redact ? Redaction.redact(tree) : tree).toString();
    return text.length() <= 65_536 ? text : "{\"truncated\":true}";
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
