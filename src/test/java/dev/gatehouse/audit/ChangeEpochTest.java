package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared read of the chain head: fewer queries, and never an answer older than the request. */
class ChangeEpochTest {
  private final JdbcDataSource database = new JdbcDataSource();
  private final AtomicInteger reads = new AtomicInteger();
  private volatile CountDownLatch holdFirstReadOpen;
  private ChangeEpoch epoch;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeEach
  void createHead() throws SQLException {
    database.setURL("jdbc:h2:mem:epoch_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = database.getConnection()) {
      c.createStatement().execute("CREATE TABLE audit_chain_head (id INT PRIMARY KEY, last_seq BIGINT)");
      c.createStatement().execute("INSERT INTO audit_chain_head VALUES (1, 5)");
    }
    epoch = new ChangeEpoch(counting(), true, true);
    epoch.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    epoch.stop();
    threads.shutdownNow();
  }

  @Test
  void concurrentRequestsShareReads() throws Exception {
    holdFirstReadOpen = new CountDownLatch(1);
    List<Future<Long>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      answers.add(threads.submit(this::readAsRequest));
    }
    Thread.sleep(200);  // every request has arrived and waits behind the first read
    holdFirstReadOpen.countDown();
    for (Future<Long> answer : answers) {
      assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    }
    assertThat(reads.get()).isBetween(1, 2);
  }

  @Test
  void requestArrivingDuringARead_getsALaterRead() throws Exception {
    holdFirstReadOpen = new CountDownLatch(1);
    Future<Long> first = threads.submit(this::readAsRequest);
    awaitReads(1);  // the first read has its answer (5) and is still open
    setHead(6);
    Future<Long> second = threads.submit(this::readAsRequest);
    Thread.sleep(100);
    holdFirstReadOpen.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(6);
  }

  @Test
  void changesAndWorkOutsideRequestsAreNeverCached() throws Exception {
    assertThat(epoch.current()).isEqualTo(ChangeEpoch.UNKNOWN);
    AuditContext.begin("r", null, null);
    try {
      assertThat(epoch.current()).isEqualTo(ChangeEpoch.UNKNOWN);  // not marked read-only: a change
    } finally {
      AuditContext.end();
    }
  }

  @Test
  void afterStopRequestsReadForThemselves() throws Exception {
    epoch.stop();
    setHead(9);
    assertThat(threads.submit(this::readAsRequest).get(10, TimeUnit.SECONDS)).isEqualTo(9);
  }

  private long readAsRequest() {
    AuditContext context = AuditContext.begin(UUID.randomUUID().toString(), null, null);
    context.readOnly = true;
    try {
      long first = epoch.current();
      assertThat(epoch.current()).as("read once per request").isEqualTo(first);
      return first;
    } finally {
      AuditContext.end();
    }
  }

  private void setHead(long seq) throws SQLException {
    try (Connection c = database.getConnection()) {
      c.createStatement().execute("UPDATE audit_chain_head SET last_seq = " + seq);
    }
  }

  private void awaitReads(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (reads.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(reads.get()).isGreaterThanOrEqualTo(n);
  }

  /** Counts reads; the first one's connection stays open (its answer read) until the latch opens. */
  private DataSource counting() {
    return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("getConnection")) {
            return method.invoke(database, args);
          }
          Connection real = database.getConnection();
          boolean first = reads.getAndIncrement() == 0;
          return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
              (p, m, a) -> {
                if (m.getName().equals("close") && first && holdFirstReadOpen != null) {
                  holdFirstReadOpen.await(10, TimeUnit.SECONDS);
                }
                return m.invoke(real, a);
              });
        });
  }
}
