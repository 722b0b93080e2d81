package dev.gatehouse.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.Locale;

/** Where the data lives: any H2 or PostgreSQL JDBC URL; the driver follows from the URL. */
public class DatabaseConfig {
  /**
   * H2 runs in PostgreSQL mode so that one set of migrations and DAOs serves both databases.
   * WRITE_DELAY=0: H2 otherwise writes committed changes to its file up to a second later, so a
   * killed process lost changes (and audit events) whose 2xx had already been sent (bench/crash.sh).
   * PAGE_SIZE=4096: with WRITE_DELAY=0 every commit writes each B-tree leaf it changed whole, so a
   * one-row insert into a table with four indexes wrote five pages of up to the default 16 KiB; 4 KiB
   * pages made the gateway's calls (a usage row each) about 15% cheaper (bench/gateway, 2026-11-27).
   */
  static final String H2_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"
      + ";WRITE_DELAY=0;PAGE_SIZE=4096";

  @NotEmpty
  @JsonProperty
  private String url = "jdbc:h2:file:./data/gatehouse";

  @JsonProperty
  private String user = "gatehouse";

  @JsonProperty
  private String password = "";

  @Min(1)
  @JsonProperty
  private int maxPoolSize = 32;

  @JsonProperty
  private boolean migrateOnStart = true;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public void setPassword(String password) {
    // an empty ${GATEHOUSE_DB_PASSWORD:-} reads as null; drivers want "" for no password
    this.password = password == null ? "" : password;
  }

  public void setMigrateOnStart(boolean migrateOnStart) {
    this.migrateOnStart = migrateOnStart;
  }

  public String getPassword() {
    return password;
  }

  public boolean isMigrateOnStart() {
    return migrateOnStart;
  }

  public boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  /** The URL as given, with H2's compatibility settings added when the caller gave none. */
  public String effectiveUrl() {
    if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains(";MODE=")) {
      return url + H2_MODE;
    }
    return url;
  }

  public DataSourceFactory toDataSourceFactory() {
    if (!url.startsWith("jdbc:h2:") && !isPostgres()) {
      throw new IllegalArgumentException("database.url must be an H2 or PostgreSQL JDBC URL");
    }
    DataSourceFactory f = new DataSourceFactory();
    f.setDriverClass(isPostgres() ? "org.postgresql.Driver" : "org.h2.Driver");
    f.setUrl(effectiveUrl());
    f.setUser(user);
    f.setPassword(password);
    f.setMaxSize(maxPoolSize);
    f.setMinSize(Math.min(4, maxPoolSize));
    f.setInitialSize(Math.min(4, maxPoolSize));
    f.setValidationQuery("SELECT 1");
    f.setCheckConnectionOnBorrow(true);
    f.setValidationInterval(Duration.seconds(5));
    f.setMaxWaitForConnection(Duration.seconds(5));
    f.setAutoCommitByDefault(true);
    return f;
  }
}
