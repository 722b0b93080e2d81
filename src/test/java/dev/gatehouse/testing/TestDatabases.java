package dev.gatehouse.testing;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.db.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Fresh, empty databases for tests. The kind follows the system property {@code gatehouse.test.db}
 * ({@code h2} or {@code postgres}); Maven runs the whole suite once with each. PostgreSQL is one
 * embedded server per JVM with a new database per call.
 */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  public static boolean postgres() {
    return "postgres".equals(System.getProperty("gatehouse.test.db", "h2"));
  }

  /** How the application links audit events on the database under test. */
  public static AuditLog.Linking linking() {
    return AuditLog.Linking.forDatabase(postgres());
  }

  /** A new empty database (not migrated). */
  public static DatabaseConfig fresh() {
    DatabaseConfig config = new DatabaseConfig();
    if (postgres()) {
      String name = "gatehouse_test_" + COUNTER.incrementAndGet();
      try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      config.setUrl(server().getJdbcUrl("postgres", name));
      config.setUser("postgres");
      config.setPassword("");
    } else {
      config.setUrl("jdbc:h2:mem:test_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      config.setUser("sa");
      config.setPassword("");
    }
    return config;
  }

  /**
   * A new empty database that outlives every connection to it, so that a server can be stopped and
   * started again on it: on H2 a file under target/ (an in-memory one would be a different kind of
   * database than the one a restart really reopens), on PostgreSQL a database as {@link #fresh()}.
   */
  public static DatabaseConfig durable() {
    if (postgres()) {
      return fresh();
    }
    DatabaseConfig config = fresh();
    Path file = Path.of("target", "test-dbs", "durable_" + UUID.randomUUID()).toAbsolutePath();
    config.setUrl("jdbc:h2:file:" + file);
    return config;
  }

  /** A new database with every migration applied, and a Jdbi over it. */
  public static Jdbi migrated() {
    DatabaseConfig config = fresh();
    Migrations.migrate(config);
    return jdbi(config);
  }

  /** A Jdbi over {@code config}, e.g. to reach a running test server's database behind its back. */
  public static Jdbi jdbi(DatabaseConfig config) {
    return Jdbi.create(config.effectiveUrl(), config.getUser(), config.getPassword())
        .installPlugin(new SqlObjectPlugin());
  }

  private static synchronized EmbeddedPostgres server() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM is going away either way
        }
      }));
    }
    return postgres;
  }
}
