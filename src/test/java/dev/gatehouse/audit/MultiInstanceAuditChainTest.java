package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestDatabases;
import dev.gatehouse.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two instances writing to one database at once still form one valid chain. */
class MultiInstanceAuditChainTest {
  private static TestServer first;
  private static TestServer second;

  @BeforeAll
  static void start() {
    var database = TestDatabases.fresh();
    first = new TestServer(database);
    first.start();
    second = new TestServer(database);
    second.start();
  }

  @AfterAll
  static void stop() {
    second.stop();
    first.stop();
  }

  @Test
  void concurrentWritesThroughBothInstancesChainOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      TestServer target = i % 2 == 0 ? first : second;
      int n = i;
      results.add(pool.submit((Callable<Integer>) () -> target.call("POST", "/api/2.1/unity-catalog/catalogs",
          "{\"name\":\"both_" + n + "\"}", TestServer.ADMIN_KEY).statusCode()));
    }
    for (Future<Integer> r : results) {
      assertThat(r.get()).isEqualTo(200);
    }
    pool.shutdown();
    var verdict = new ObjectMapper().readTree(
        second.call("GET", "/api/1.0/gatehouse/audit/verify", null, TestServer.ADMIN_KEY).body());
    assertThat(verdict.get("ok").asBoolean()).as(verdict.toString()).isTrue();
    assertThat(verdict.get("events_checked").asLong()).isGreaterThanOrEqualTo(60);
  }
}
