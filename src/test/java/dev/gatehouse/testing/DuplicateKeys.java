package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.SQLException;

/**
 * The error mapper answers 409 for SQLState 23505 (unique violation); both databases must report a
 * duplicate with that state, or a race between two creates would surface as a 500.
 */
public final class DuplicateKeys {
  private DuplicateKeys() {}

  public static void assertDuplicateKey(Runnable insert) {
    Throwable thrown = catchThrowable(insert::run);
    assertThat(thrown).as("a duplicate insert must fail").isNotNull();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        assertThat(sql.getSQLState()).isEqualTo("23505");
        return;
      }
    }
    throw new AssertionError("no SQLException behind " + thrown, thrown);
  }
}
