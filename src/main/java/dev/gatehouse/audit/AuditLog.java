package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.common.Ids;
import dev.gatehouse.db.Dialects;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Appends events to the hash chain, and reads, verifies and archives it. */
public class AuditLog {
  static final int VERIFY_BATCH = 5_000;
  static final int APPEND_WAIT_SECONDS = 10;

  private final Jdbi jdbi;
  private final Clock clock;
  private final ObjectMapper json;
  private final boolean enabled;
  private volatile Boolean postgres;
  /**
   * This instance's appenders queue here, in arrival order, and only the first goes on to the
   * database's head lock. Left to the database, every appender of the instance would wait on that one
   * row; H2 wakes all of its waiters at each commit, and they fight for a CPU to find the row taken
   * again. Held while the event is linked and written, not until the commit: the database's row lock
   * on the head orders the commits, and the next appender waits on it in the database. Holding this
   * lock across the commit as well made every H2 commit write the file alone: H2 releases its row
   * locks before it writes the commit's pages, and commits that end while that write runs share the
   * next one, unless each waits here for the previous commit to finish (bench/README-audit.md).
   */
  private final ReentrantLock appendOrder = new ReentrantLock(true);
  /**
   * The head as this instance's last append left it, whether that committed or not; only a guess of
   * the head, checked by the statement that moves it. Guarded by appendOrder.
   */
  private AuditDao.Head lastWritten;

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
   * Writes the request's event in the caller's transaction: links the event to the head, appends it
   * and moves the head. The head's row lock is held until the caller commits, so every appender waits
   * for the one before it. Everything that does not depend on the head is prepared before this
   * instance's turn; in its turn the event is linked to the head this instance last wrote and appended
   * in one statement that takes the lock only if that is still the head, which it is unless another
   * instance wrote since, this instance's last append rolled back, or (on H2, which tests the
   * condition against the committed head instead of waiting for the lock) that append has not
   * committed yet. Only then is the head read under its lock and the event linked again: one round
   * trip more, and a chain that stays whole.
   */
  public void append(Handle h, AuditContext context, int statusCode, String errorCode) {
    if (!enabled) {
      return;
    }
    // Time-ordered: the unique index on event_id then grows at its end instead of on a random page.
    AuditEvent draft = new AuditEvent(0, Ids.newTimeOrderedId(), 0, context.requestId, context.actorName,
        context.actorType, context.apiKeyId, context.sourceIp, truncate(context.userAgent, 512),
        context.service == null ? "api" : context.service, context.action == null ? "unknown" : context.action,
        context.securableType, context.fullName, toJson(context.params, true), toJson(context.details, false),
        statusCode, errorCode, null, null);
    boolean postgres = postgres(h);
    awaitTurn();
    try {
      AuditDao.Head head = lastWritten;
      // The clock is read in this instance's turn: event times then follow the chain's order wherever
      // one clock stamps them.
      AuditEvent event = head == null ? null
          : AuditChain.link(draft, head.lastSeq() + 1, clock.millis(), head.lastHash());
      if (event == null || !AuditDao.appendAtHead(h, event, postgres)) {
        head = h.attach(AuditDao.class).lockHead();
        event = AuditChain.link(draft, head.lastSeq() + 1, clock.millis(), head.lastHash());
        if (!AuditDao.appendAtHead(h, event, postgres)) {
          throw new IllegalStateException("The audit chain head moved while locked");
        }
      }
      lastWritten = new AuditDao.Head(event.seq(), event.hash());
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    } finally {
      appendOrder.unlock();
    }
  }

  /** Waits no longer than H2 waits for a row lock: past that the change fails (503), as it would there. */
  private void awaitTurn() {
    try {
      if (!appendOrder.tryLock(APPEND_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Timed out waiting to append to the audit log");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting to append to the audit log", e);
    }
  }

  /** Whether the handle's database is PostgreSQL; asked once, as one pool serves one database. */
  private boolean postgres(Handle h) {
    Boolean known = postgres;
    if (known == null) {
      known = Dialects.isPostgres(h);
      postgres = known;
    }
    return known;
  }

  /** Writes an event in a transaction of its own (failed requests, denied reads). */
  public void appendAlone(AuditContext context, int statusCode, String errorCode) {
    jdbi.useTransaction(h -> append(h, context, statusCode, errorCode));
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
