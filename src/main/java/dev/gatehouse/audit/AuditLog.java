package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.common.Ids;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends events to the hash chain, and reads, verifies and archives it. */
public class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  static final int VERIFY_BATCH = 5_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final ObjectMapper json;
  private final boolean enabled;
  private final AuditChainer chainer;
  /** Null when events are staged and linked after commit by the chainer. */
  private final InTransactionLinker inTransaction;
  /** Audited changes under way that have not yet committed: linking rounds wait a moment for them. */
  private final AtomicInteger changesUnderWay = new AtomicInteger();

  /** Where an event is linked into the chain. */
  public enum Linking {
    /** In the change's transaction ({@link InTransactionLinker}): the default on H2. */
    IN_TRANSACTION,
    /** Staged in the change's transaction, linked after its commit ({@link AuditChainer}): on PostgreSQL. */
    AFTER_COMMIT;

    public static Linking forDatabase(boolean postgres) {
      return postgres ? AFTER_COMMIT : IN_TRANSACTION;
    }
  }

  public AuditLog(Jdbi jdbi, Clock clock, ObjectMapper json, boolean enabled, Linking linking) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.json = json;
    this.enabled = enabled;
    this.chainer = new AuditChainer(jdbi, changesUnderWay::get);
    this.inTransaction = linking == Linking.IN_TRANSACTION ? new InTransactionLinker() : null;
  }

  /** The verdict of a walk along the chain. */
  public record Verification(boolean ok, long eventsChecked, long anchorSeq, long lastSeq, Long brokenSeq,
      String brokenEventId, String reason) {}

  /** Links staged events into the chain; the application runs it when events are linked after commit. */
  public AuditChainer chainer() {
    return chainer;
  }

  /**
   * Writes the request's event in the caller's transaction: the change and its event commit
   * together, or neither does. Linked into the chain there, or staged: then, once the caller has
   * committed, {@link #awaitLinked} links it, and the caller answers after that.
   */
  public void append(Handle h, AuditContext context, int statusCode, String errorCode) {
    if (!enabled) {
      return;
    }
    // Time-ordered: the staging table and the unique index on event_id grow at their end, and the
    // chainer links events in this order.
    AuditEvent draft = new AuditEvent(0, Ids.newTimeOrderedId(), clock.millis(), context.requestId,
        context.actorName, context.actorType, context.apiKeyId, context.sourceIp, truncate(context.userAgent, 512),
        context.service == null ? "api" : context.service, context.action == null ? "unknown" : context.action,
        context.securableType, context.fullName, toJson(context.params, true), toJson(context.details, false),
        statusCode, errorCode, null, null);
    try {
      if (inTransaction != null) {
        inTransaction.append(h.getConnection(), draft);
      } else {
        AuditDao.stage(h.getConnection(), draft);
      }
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /**
   * Says that a change is under way, until {@link #changeEnding()}: a linking round asked for
   * meanwhile waits for it a moment (see {@link AuditChainer#GATHER_MILLIS}), so that concurrent
   * changes share rounds.
   */
  public void changeStarting() {
    changesUnderWay.incrementAndGet();
  }

  /** The change has committed or failed: rounds no longer wait for it. */
  public void changeEnding() {
    changesUnderWay.decrementAndGet();
  }

  /** Audited changes on this instance between their start and their commit or failure (a gauge). */
  public int changesUnderWay() {
    return changesUnderWay.get();
  }

  /**
   * Returns once the events of transactions committed before the call are in the chain. If that
   * fails they stay staged, committed with their changes, and a later round links them: logged, not
   * thrown, as the change it follows is already made.
   */
  public void awaitLinked(String requestId) {
    if (enabled && inTransaction == null && !chainer.awaitLinked()) {
      LOG.warn("The audit event of request {} is committed but not yet linked into the chain", requestId);
    }
  }

  /** Writes an event in a transaction of its own (failed requests, denied reads). */
  public void appendAlone(AuditContext context, int statusCode, String errorCode) {
    jdbi.useTransaction(h -> append(h, context, statusCode, errorCode));
    awaitLinked(context.requestId);
  }

  /**
   * Writes an event that no request caused (a budget alert), in a transaction of its own, with the
   * actor {@code system}: the chain records what the service did on its own as well.
   */
  public void appendSystem(String service, String action, String securableType, String fullName,
      Map<String, Object> details) {
    AuditContext context = new AuditContext(Ids.newId(), null, null);
    context.actorName = "system";
    context.actorType = "SYSTEM";
    context.service = service;
    context.action = action;
    context.securableType = securableType;
    context.fullName = fullName;
    context.details.putAll(details);
    appendAlone(context, 200, null);
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
