package dev.gatehouse.db;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
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
 * <p>Every second this moves the live pages of chunks older than H2's retention time (45 s: the
 * space of a chunk may be overwritten only once the operating system has surely written what
 * replaced it) into new chunks, in steps of {@link #STEP_BYTES} (each holds H2's store lock for a
 * few milliseconds), until the chunks are {@link #TARGET_FILL_RATE}% live or the round has taken
 * {@link #MAX_ROUND_MILLIS}. The emptied chunks' space is then reused.
 */
public final class H2Housekeeping implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
  static final int TARGET_FILL_RATE = 50;
  static final int STEP_BYTES = 512 * 1024;
  static final long MAX_ROUND_MILLIS = 250;
  private static final long INTERVAL_MILLIS = 1_000;

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

  /** One round; answers how many steps moved pages. */
  int round() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_ROUND_MILLIS);
    int steps = 0;
    try (Connection connection = dataSource.getConnection()) {
      MVStore store = store(connection);
      while (store != null && System.nanoTime() < deadline && store.compact(TARGET_FILL_RATE, STEP_BYTES)) {
        store.commit();  // the moved pages are written here, not by the next caller's commit
        steps++;
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn("H2 housekeeping round failed; retried in {} ms", INTERVAL_MILLIS, e);
    }
    return steps;
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
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "h2-housekeeping");
      thread.setDaemon(true);
      return thread;
    });
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
