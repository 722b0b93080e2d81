package dev.gatehouse.db;

import dev.gatehouse.GatehouseConfiguration;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.output.MigrateResult;

/** {@code java -jar gatehouse.jar db migrate config.yml}: applies pending migrations and exits. */
public class DbCommand extends ConfiguredCommand<GatehouseConfiguration> {
  public DbCommand() {
    super("db", "Database tasks: 'db migrate config.yml' applies pending migrations");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("migrate").help("what to do");
    super.configure(subparser);
  }

  @Override
  protected void run(Bootstrap<GatehouseConfiguration> bootstrap, Namespace namespace,
      GatehouseConfiguration configuration) {
    MigrateResult result = Migrations.migrate(configuration.getDatabase());
    System.out.println("Applied " + result.migrationsExecuted + " migration(s); schema version "
        + (result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion) + ".");
  }
}
