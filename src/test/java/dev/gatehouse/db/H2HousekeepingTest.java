package dev.gatehouse.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.testing.TestDatabases;
import dev.gatehouse.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H2 file written one small commit at a time (as the gateway writes usage records) is mostly
 * dead chunks; housekeeping moves the live pages out so their space is reused.
 */
class H2HousekeepingTest {
  private static final int COMMITS = 4_000;

  @Test
  void roundsMoveLivePagesOutOfSparseChunksSoTheFileStopsGrowing(@TempDir Path dir) throws SQLException {
    // RETENTION_TIME=0: chunks may be reused at once, so the test need not wait H2's 45 s
    JdbcDataSource dataSource = dataSource(dir, ";RETENTION_TIME=0");
    H2Housekeeping housekeeping = new H2Housekeeping(dataSource);
    try (Connection keepOpen = dataSource.getConnection()) {
      keepOpen.createStatement().execute("CREATE TABLE t (id VARCHAR(36) PRIMARY KEY, at BIGINT, v VARCHAR(200))");
      keepOpen.createStatement().execute("CREATE INDEX ix_t_at ON t (at, id)");
      MVStore store = H2Housekeeping.store(keepOpen);
      insertOneByOne(keepOpen, 0);
      assertThat(store.getFileStore().getChunksFillRate()).as("one commit per row leaves chunks mostly dead")
          .isLessThan(20);

      int steps = 0;
      for (int i = 0; i < 100 && store.getFileStore().getChunksFillRate() < H2Housekeeping.TARGET_FILL_RATE; i++) {
        steps += housekeeping.round() ? 1 : 0;
      }
      assertThat(steps).isPositive();
      assertThat(store.getFileStore().getChunksFillRate()).isGreaterThanOrEqualTo(H2Housekeeping.TARGET_FILL_RATE);

      // the emptied chunks' space is reused: as many rows again, with rounds between, barely grow the file
      long size = store.getFileStore().size();
      for (int batch = 1; batch <= 4; batch++) {
        insertOneByOne(keepOpen, batch * COMMITS, COMMITS / 4);
        for (int i = 0; i < 10; i++) {
          housekeeping.round();
        }
      }
      assertThat(store.getFileStore().size()).isLessThan(size + size / 2);
      try (var count = keepOpen.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
        count.next();
        assertThat(count.getLong(1)).isEqualTo(COMMITS + 4L * (COMMITS / 4));
      }
    }
  }

  @Test
  void theStoreIsReachedThroughTheApplicationsConnectionPool(@TempDir Path dir) throws Exception {
    DatabaseConfig config = new DatabaseConfig();
    config.setUrl("jdbc:h2:file:" + dir.resolve("pooled"));
    var pool = config.toDataSourceFactory().build(new MetricRegistry(), "housekeeping-test");
    pool.start();
    try (Connection connection = pool.getConnection()) {
      assertThat(H2Housekeeping.applies(config.effectiveUrl())).isTrue();
      assertThat(H2Housekeeping.store(connection)).isNotNull();
    } finally {
      pool.stop();
    }
  }

  @Test
  void theServerLooksAfterAnH2FileAndNothingElse() {
    TestServer server = new TestServer(TestDatabases.durable());  // an H2 file, or PostgreSQL
    try {
      server.start();
      assertThat(server.managed().stream().anyMatch(H2Housekeeping.class::isInstance))
          .isEqualTo(!TestDatabases.postgres());
    } finally {
      server.stop();
    }
  }

  @Test
  void anInMemoryDatabaseHasNothingToKeep() throws SQLException {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:housekeeping;DB_CLOSE_DELAY=-1");
    try (Connection keepOpen = dataSource.getConnection()) {
      assertThat(H2Housekeeping.store(keepOpen)).isNull();
      assertThat(new H2Housekeeping(dataSource).round()).isFalse();
    }
  }

  @Test
  void aDatabaseClosedUnderneathIsToldApartFromAFailure(@TempDir Path dir) throws SQLException {
    JdbcDataSource dataSource = dataSource(dir, "");
    try (Connection held = dataSource.getConnection()) {
      try (Connection other = dataSource.getConnection()) {
        other.createStatement().execute("SHUTDOWN");  // as H2's shutdown hook does when the JVM exits
      }
      Exception closed = catchException(() -> H2Housekeeping.store(held).commit());
      assertThat(H2Housekeeping.databaseClosed(closed)).isTrue();
    }
    assertThat(H2Housekeeping.databaseClosed(new SQLException("disk full", "HY000", 0))).isFalse();
  }

  @Test
  void onlyFileDatabasesOfThisProcessApply() {
    assertThat(H2Housekeeping.applies("jdbc:h2:file:./data/gatehouse;MODE=PostgreSQL")).isTrue();
    assertThat(H2Housekeeping.applies("jdbc:h2:./data/gatehouse")).isTrue();
    assertThat(H2Housekeeping.applies("jdbc:h2:mem:test")).isFalse();
    assertThat(H2Housekeeping.applies("jdbc:h2:tcp://db:9092/gatehouse")).isFalse();
    assertThat(H2Housekeeping.applies("jdbc:postgresql://db/gatehouse")).isFalse();
  }

  private static JdbcDataSource dataSource(Path dir, String settings) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;PAGE_SIZE=4096" + settings);
    return dataSource;
  }

  private static void insertOneByOne(Connection connection, int from) throws SQLException {
    insertOneByOne(connection, from, COMMITS);
  }

  private static void insertOneByOne(Connection connection, int from, int count) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
      for (int i = from; i < from + count; i++) {
        insert.setString(1, String.format("%036d", i));
        insert.setLong(2, i);
        insert.setString(3, "x".repeat(150));
        insert.executeUpdate();  // autocommit: one commit, one chunk, per row
      }
    }
  }
}
