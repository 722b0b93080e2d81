package dev.gatehouse.testing;

import dev.gatehouse.db.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL of its own that a test may stop and start again, on the same port and
 * data directory, while a server uses it: the shared one of {@link TestDatabases} serves every
 * other test class of the JVM and must stay up.
 */
public final class RestartablePostgres implements AutoCloseable {
  private final Path data;
  private final int port;
  private EmbeddedPostgres postgres;

  public RestartablePostgres() throws IOException {
    data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "restartable-pg");
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    start();
  }

  public synchronized void start() throws IOException {
    if (postgres == null) {
      // Not cleaned on close: the data must be there again after a restart.
      postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }
  }

  /** Stops the server (pg_ctl stop, fast mode: open connections are cut). */
  public synchronized void stop() throws IOException {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }

  public DatabaseConfig database() {
    DatabaseConfig config = new DatabaseConfig();
    config.setUrl("jdbc:postgresql://localhost:" + port + "/postgres");
    config.setUser("postgres");
    config.setPassword("");
    return config;
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
