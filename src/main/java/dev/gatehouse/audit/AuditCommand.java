package dev.gatehouse.audit;

import dev.gatehouse.GatehouseConfiguration;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** {@code java -jar gatehouse.jar audit verify config.yml}: walks the hash chain; exit 1 if broken. */
public class AuditCommand extends ConfiguredCommand<GatehouseConfiguration> {
  public AuditCommand() {
    super("audit", "Audit log tasks: 'audit verify config.yml' checks the hash chain");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("verify").help("what to do");
    super.configure(subparser);
  }

  @Override
  protected void run(Bootstrap<GatehouseConfiguration> bootstrap, Namespace namespace,
      GatehouseConfiguration configuration) {
    var db = configuration.getDatabase();
    Jdbi jdbi = Jdbi.create(db.effectiveUrl(), db.getUser(), db.getPassword()).installPlugin(new SqlObjectPlugin());
    AuditLog.Verification v = new AuditLog(jdbi, Clock.systemUTC(), bootstrap.getObjectMapper(), true,
        AuditLog.Linking.forDatabase(db.isPostgres())).verify();
    if (v.ok()) {
      System.out.println("ok: " + v.eventsChecked() + " events verified from anchor " + v.anchorSeq()
          + " to " + v.lastSeq() + ".");
      return;
    }
    System.out.println("BROKEN at event " + v.brokenSeq() + (v.brokenEventId() == null ? "" : " (" + v.brokenEventId()
        + ")") + ": " + v.reason() + ". " + v.eventsChecked() + " events verified before it.");
    System.exit(1);
  }
}
