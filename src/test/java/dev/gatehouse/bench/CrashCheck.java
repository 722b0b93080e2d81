package dev.gatehouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * After bench/crash.sh: every acknowledged request of {@link CrashLoad} must have left its trace
 * in the database, read directly over JDBC with the server stopped: a created catalog its row and
 * its audit event (same request id, status 2xx); a gateway call its usage record. Prints what is
 * missing and exits 1 when anything is.
 *
 * <p>Arguments: ackFile jdbcUrl user password.
 */
public final class CrashCheck {
  private CrashCheck() {}

  public static void main(String[] args) throws Exception {
    List<String> acks = Files.readAllLines(Path.of(args[0]));
    int catalogs = 0;
    int calls = 0;
    int missing = 0;
    try (Connection db = DriverManager.getConnection(args[1], args[2], args.length > 3 ? args[3] : "")) {
      for (String ack : acks) {
        String[] f = ack.split("\t");
        if (f.length < 3) {
          continue; // a line cut by the load generator's own end
        }
        if (f[0].equals("catalog")) {
          catalogs++;
          missing += report(exists(db, "SELECT 1 FROM securables WHERE securable_type = 'CATALOG' AND full_name = ?", f[1]),
              "catalog row " + f[1]);
          missing += report(exists(db, "SELECT 1 FROM audit_events WHERE request_id = ? AND status_code < 300", f[2]),
              "audit event of request " + f[2] + " (catalog " + f[1] + ")");
        } else {
          calls++;
          missing += report(exists(db, "SELECT 1 FROM usage_records WHERE request_id = ?", f[2]),
              "usage record of " + f[0] + " request " + f[2]);
        }
      }
    }
    System.out.println("checked: " + catalogs + " acknowledged catalog creates, " + calls
        + " acknowledged gateway calls; missing: " + missing);
    if (missing > 0) {
      System.exit(1);
    }
  }

  private static boolean exists(Connection db, String sql, String value) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      statement.setString(1, value);
      return statement.executeQuery().next();
    }
  }

  private static int report(boolean present, String what) {
    if (!present) {
      System.out.println("MISSING: " + what);
    }
    return present ? 0 : 1;
  }
}
