package dev.gatehouse.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the SQL files of the top-level migrations/ folder (classpath:db/migration), plus on
 * PostgreSQL those of migrations/postgresql/ (classpath:db/postgresql): what H2 cannot run, such as
 * triggers. Version numbers are unique across both folders.
 */
public final class Migrations {
  private Migrations() {}

  public static MigrateResult migrate(DatabaseConfig db) {
    return Flyway.configure()
        .dataSource(db.effectiveUrl(), db.getUser(), db.getPassword())
        .locations(db.isPostgres()
            ? new String[] {"classpath:db/migration", "classpath:db/postgresql"}
            : new String[] {"classpath:db/migration"})
        .validateMigrationNaming(true)
        .load()
        .migrate();
  }
}
