package dev.gatehouse.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Two application instances sharing one fresh database, as several instances share PostgreSQL. */
public class TwoInstances implements BeforeAllCallback, AfterAllCallback {
  private TestServer first;
  private TestServer second;
  private java.time.Clock clock = java.time.Clock.systemUTC();

  /** Both instances read time from {@code clock}. */
  public TwoInstances withClock(java.time.Clock clock) {
    this.clock = clock;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    var database = TestDatabases.fresh();
    first = new TestServer(database).withClock(clock);
    first.start();
    second = new TestServer(database).withClock(clock);
    second.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    second.stop();
    first.stop();
  }

  public TestServer first() {
    return first;
  }

  public TestServer second() {
    return second;
  }
}
