package dev.gatehouse.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the SQL files of the top-level migrations/ folder, packaged as classpath:db/migration. */
public final class Migrations {
  private Migrations() {}

  public static MigrateResult migrate(DatabaseConfig db) {
    return Flyway.configure()
        .dataSource(db.effectiveUrl(), db.getUser(), db.getPassword())
        .locations("classpath:db/migration")
        .validateMigrationNaming(true)
        .load()
        .migrate();
  }
}
