package dev.gatehouse.db;

import dev.gatehouse.common.Daemons;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 database file from growing without bound. H2 writes each commit as a new
 * chunk at the end of its file (copy-on-write), and a chunk's space is reused only once none of
 * its pages is live; its background thread moves the few live pages out of sparse old chunks, but
 * that thread runs only when commits are written late (WRITE_DELAY above 0). Gatehouse writes them
 * at once ({@link DatabaseConfig}), so nothing did: in the gateway benchmark the file reached 8 GB
 * in nine minutes with 21% of it live, and filled the disk.
 *
 * <p>Four times a second this moves the live pages of up to {@link #STEP_BYTES} of chunks older
 * than H2's retention time (45 s: a chunk's space may be overwritten only once the operating system
 * has surely written what replaced it) into a new chunk, while chunks are less than
 * {@link #TARGET_FILL_RATE}% live, least live first; the emptied chunks' space is then reused. Each
 * step holds H2's store lock, which every commit needs, for a few milliseconds, so steps are small
 * and never run back to back: a loop of them kept the lock from the gateway's commits for a tenth
 * of a second and more (a paced p99 of 161 ms in the gateway benchmark). That moves up to 512 KiB a
 * second, enough for hundreds of commits a second; a store taking thousands a second for minutes on
 * end (the gateway at full load, a usage record a call) still grows, more slowly. PostgreSQL is the
 * database for that.
 */
public final class H2Housekeeping implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
  static final int TARGET_FILL_RATE = 30;
  static final int STEP_BYTES = 128 * 1024;
  private static final long INTERVAL_MILLIS = 250;

  private final DataSource dataSource;
  private ScheduledExecutorService timer;

  public H2Housekeeping(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Only an H2 database this process opens from a file has a store to look after. */
  public static boolean applies(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:") && !jdbcUrl.startsWith("jdbc:h2:tcp:")
        && !jdbcUrl.startsWith("jdbc:h2:ssl:");
  }

  /** One step; answers whether it moved pages. */
  boolean round() {
    try (Connection connection = dataSource.getConnection()) {
      MVStore store = store(connection);
      if (store != null && store.compact(TARGET_FILL_RATE, STEP_BYTES)) {
        store.commit();  // the moved pages are written here, not by the next caller's commit
        return true;
      }
    } catch (SQLException | RuntimeException e) {
      if (databaseClosed(e)) {
        // H2's own shutdown hook may close the database before this is stopped, as the JVM exits
        LOG.debug("H2 housekeeping skipped: the database is closed");
      } else {
        LOG.warn("H2 housekeeping failed; retried in {} ms", INTERVAL_MILLIS, e);
      }
    }
    return false;
  }

  static boolean databaseClosed(Exception e) {
    int code = e instanceof SQLException sql ? sql.getErrorCode() : e instanceof DbException db ? db.getErrorCode() : 0;
    return code == ErrorCode.DATABASE_IS_CLOSED;
  }

  /** The store under a connection of this process's H2, or null when there is none (in memory, a server's). */
  static MVStore store(Connection connection) throws SQLException {
    if (!connection.isWrapperFor(JdbcConnection.class)
        || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
      return null;
    }
    MVStore store = session.getDatabase().getStore().getMvStore();
    return store.getFileStore() == null ? null : store;
  }

  @Override
  public void start() {
    timer = Daemons.scheduler("h2-housekeeping");
    timer.scheduleWithFixedDelay(this::round, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (timer != null) {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
