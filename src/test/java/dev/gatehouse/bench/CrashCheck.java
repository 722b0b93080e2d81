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
 * its audit event (same request id, status 2xx); a gateway call its usage record. And hard budgets
 * held: no period spent more than the amount, and the sweeper left no reservation behind (the
 * instances killed mid-call never settled theirs). Prints what is wrong and exits 1 when anything is.
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
      missing += budgets(db);
    }
    System.out.println("checked: " + catalogs + " acknowledged catalog creates, " + calls
        + " acknowledged gateway calls; wrong or missing: " + missing);
    if (missing > 0) {
      System.exit(1);
    }
  }

  /** Hard budgets: spend within the amount, ledger costs within it too, and no lease left. */
  private static int budgets(Connection db) throws SQLException {
    int wrong = 0;
    try (var rows = db.createStatement().executeQuery("SELECT b.id, b.amount_usd, p.spent_usd, p.reserved_usd"
        + " FROM budgets b JOIN budget_periods p ON p.budget_id = b.id WHERE b.hard")) {
      while (rows.next()) {
        var amount = rows.getBigDecimal(2);
        System.out.println("hard budget " + rows.getString(1) + ": amount " + amount.toPlainString() + ", spent "
            + rows.getBigDecimal(3).toPlainString() + ", reserved " + rows.getBigDecimal(4).toPlainString());
        wrong += report(rows.getBigDecimal(3).compareTo(amount) <= 0, "spend within the amount of budget " + rows.getString(1));
        wrong += report(rows.getBigDecimal(4).signum() == 0, "no amount still reserved on budget " + rows.getString(1));
      }
    }
    try (var rows = db.createStatement().executeQuery("SELECT count(*) FROM budget_leases")) {
      rows.next();
      wrong += report(rows.getLong(1) == 0, "no lease left (" + rows.getLong(1) + " left)");
    }
    try (var rows = db.createStatement().executeQuery("SELECT (SELECT COALESCE(SUM(cost_usd), 0) FROM usage_records),"
        + " (SELECT MIN(amount_usd) FROM budgets WHERE hard AND LOWER(scope_type) = 'global' AND LOWER(period) = 'total')")) {
      rows.next();
      if (rows.getBigDecimal(2) != null) {
        System.out.println("ledger cost of all calls: " + rows.getBigDecimal(1).toPlainString());
        wrong += report(rows.getBigDecimal(1).compareTo(rows.getBigDecimal(2)) <= 0, "ledger cost within the global budget");
      }
    }
    return wrong;
  }

  private static boolean exists(Connection db, String sql, String value) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      statement.setString(1, value);
      return statement.executeQuery().next();
    }
  }

  private static int report(boolean present, String what) {
    if (!present) {
      System.out.println("WRONG OR MISSING: " + what);
    }
    return present ? 0 : 1;
  }
}
