package dev.gatehouse.db;

import java.sql.SQLException;
import org.jdbi.v3.core.Handle;

/** Which database a handle is on, for the few queries whose best shape differs between H2 and PostgreSQL. */
public final class Dialects {
  private Dialects() {}

  public static boolean isPostgres(Handle h) {
    try {
      return "PostgreSQL".equals(h.getConnection().getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
