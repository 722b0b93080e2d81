package dev.gatehouse.audit;

import dev.gatehouse.common.SharedRounds;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links staged events into the hash chain after the transactions that staged them commit, many in
 * one transaction. Linking takes the chain head's row lock, and a transaction holds a row lock until
 * its commit has been flushed; held by every audited change, that lock made their commits run one at
 * a time (PostgreSQL: 1,100 to 1,350 creates a second on the benchmark machine, about half the rate
 * of the same creates unaudited). Here it is held once per batch. The default on PostgreSQL; see
 * {@link InTransactionLinker} for H2.
 *
 * <p>A request waits for the round that links its event before it answers, so a 2xx still means an
 * event in the chain, and the head (the read caches' {@link ChangeEpoch}) has moved before anyone
 * hears of the change. Rounds are shared: requests that arrive while one runs are all linked by the
 * next, and under load a round also gathers the changes under way (see {@link #GATHER_MILLIS}).
 * Every instance links every staged event it finds, under the head lock, so events staged by an
 * instance that stopped before linking them are linked by the next round anywhere, and one runs at
 * least every {@link #SWEEP_MILLIS} and at start.
 */
public final class AuditChainer implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AuditChainer.class);
  /** Events linked per transaction; a round runs as many as there are events staged. */
  static final int BATCH = 1_000;
  static final long SWEEP_MILLIS = 1_000;
  /**
   * A round asked for waits, at most this long after the last one began, while changes are under way
   * on this instance, for them to commit and join it: under load rounds come at most this often, each
   * for many events, and a lone change never waits. Run back to back instead, rounds came about 450
   * times a second with 3 or 4 events each on the benchmark machine, and their statements and commits
   * took a quarter of its CPU.
   */
  static final long GATHER_MILLIS = 10;
  /** As long as H2 waits for a row lock. */
  static final long WAIT_MILLIS = 10_000;

  private final Jdbi jdbi;
  private final SharedRounds<Long> rounds;

  /**
   * {@code changesUnderWay}: audited changes on this instance that have not yet committed. A round
   * asked for waits until none is left or GATHER_MILLIS have passed since the last round began.
   */
  public AuditChainer(Jdbi jdbi, IntSupplier changesUnderWay) {
    this.jdbi = jdbi;
    this.rounds = new SharedRounds<>("audit-chainer", this::linkAll, SWEEP_MILLIS)
        .gathering(GATHER_MILLIS, changesUnderWay);
  }

  /**
   * Returns once every event staged by a transaction that committed before this call is linked.
   * False if that could not be done in time; the events stay staged and a later round links them.
   */
  public boolean awaitLinked() {
    try {
      rounds.await(WAIT_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** Links every staged event visible now; answers how many. */
  long linkAll() throws SQLException {
    try {
      long linked = 0;
      int batch;
      do {
        batch = jdbi.inTransaction((HandleCallback<Integer, SQLException>) h -> linkBatch(h.getConnection()));
        linked += batch;
      } while (batch == BATCH);
      return linked;
    } catch (SQLException | RuntimeException e) {
      LOG.error("Could not link staged audit events into the chain; will retry", e);
      throw e;
    }
  }

  private static int linkBatch(Connection connection) throws SQLException {
    // Looked for before the lock: an idle sweep then takes no lock and writes nothing.
    if (!AuditDao.anyStaged(connection)) {
      return 0;
    }
    AuditDao.Head head = AuditDao.lockHead(connection);
    // Read under the lock, so a round that waited for another's sees what that one removed.
    List<AuditEvent> drafts = AuditDao.staged(connection, BATCH);
    if (drafts.isEmpty()) {
      return 0;
    }
    List<AuditEvent> linked = new ArrayList<>(drafts.size());
    long seq = head.lastSeq();
    String prevHash = head.lastHash();
    for (AuditEvent draft : drafts) {
      AuditEvent event = AuditChain.link(draft, ++seq, prevHash);
      linked.add(event);
      prevHash = event.hash();
    }
    AuditDao.link(connection, linked);
    return drafts.size();
  }

  @Override
  public void start() throws SQLException {
    linkAll();
    rounds.start();
  }

  @Override
  public void stop() throws InterruptedException {
    rounds.stop(WAIT_MILLIS);
  }
}
