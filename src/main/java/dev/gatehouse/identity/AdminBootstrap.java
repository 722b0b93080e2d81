package dev.gatehouse.identity;

import dev.gatehouse.common.Ids;
import java.io.PrintStream;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * First start on an empty database: creates the groups {@code admins} (metastore admins) and
 * {@code auditors}, and the user {@code admin} in {@code admins} with one key: the configured
 * bootstrap key, or a fresh one printed once to the console (and nowhere else).
 */
public class AdminBootstrap {
  private final Jdbi jdbi;
  private final Clock clock;

  public AdminBootstrap(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Returns true when it created the admin. */
  public boolean run(String configuredKey, PrintStream console) {
    if (configuredKey != null && !configuredKey.isBlank() && !ApiKeySecrets.plausible(configuredKey)) {
      throw new IllegalArgumentException("GATEHOUSE_BOOTSTRAP_ADMIN_KEY must be 32 to 512 characters");
    }
    boolean generated = configuredKey == null || configuredKey.isBlank();
    String key = generated ? ApiKeySecrets.newKey() : configuredKey;
    boolean created = jdbi.inTransaction(h -> {
      PrincipalDao dao = h.attach(PrincipalDao.class);
      if (dao.countAll() > 0) {
        return false;
      }
      long now = clock.millis();
      PrincipalRow admins = group(Caller.ADMINS_GROUP, now);
      PrincipalRow auditors = group(Caller.AUDITORS_GROUP, now);
      PrincipalRow admin = new PrincipalRow(Ids.newId(), PrincipalType.USER, "admin", "Administrator", null, null,
          null, true, now, now);
      dao.insert(admins);
      dao.insert(auditors);
      dao.insert(admin);
      dao.addMember(admins.id(), admin.id());
      ApiKeyService.insert(h, admin.id(), "bootstrap", key, "system", null, now);
      return true;
    });
    if (created && generated) {
      console.println("""

          ==========================================================================
           Gatehouse created the metastore admin 'admin'. Its API key, shown once:

             %s

           Keep it: it is stored only as a hash. Set GATEHOUSE_BOOTSTRAP_ADMIN_KEY
           before the first start to choose the key instead.
          ==========================================================================
          """.formatted(key));
    }
    return created;
  }

  private static PrincipalRow group(String name, long now) {
    return new PrincipalRow(Ids.newId(), PrincipalType.GROUP, name, name, null, null, null, true, now, now);
  }
}
