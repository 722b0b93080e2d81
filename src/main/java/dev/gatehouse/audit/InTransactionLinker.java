package dev.gatehouse.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Links each event into the chain in its change's own transaction, which holds the head's row lock
 * until it commits. The default on H2: embedded, one instance, commits without a network or a flush
 * to wait for, so holding the lock through the commit costs less there than staging the event and
 * linking it in a second transaction (bench/README-audit.md: 19.9% against about 30% of create
 * throughput). {@link AuditChainer} is the default on PostgreSQL.
 */
final class InTransactionLinker {
  static final int APPEND_WAIT_SECONDS = 10;

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

  /**
   * Links the draft to the head this instance last wrote and appends it, in one step that takes the
   * head's lock only if that is still the head, which it is unless another instance wrote since, this
   * instance's last append rolled back, or (on H2, which tests the condition against the committed
   * head instead of waiting for the lock) that append has not committed yet. Only then is the head
   * read under its lock and the event linked again: one round trip more, and a chain that stays whole.
   */
  void append(Connection connection, AuditEvent draft) throws SQLException {
    awaitTurn();
    try {
      AuditDao.Head head = lastWritten;
      AuditEvent event = head == null ? null : AuditChain.link(draft, head.lastSeq() + 1, head.lastHash());
      if (event == null || !AuditDao.appendAtHead(connection, event)) {
        head = AuditDao.lockHead(connection);
        event = AuditChain.link(draft, head.lastSeq() + 1, head.lastHash());
        if (!AuditDao.appendAtHead(connection, event)) {
          throw new IllegalStateException("The audit chain head moved while locked");
        }
      }
      lastWritten = new AuditDao.Head(event.seq(), event.hash());
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
}
