package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.testing.TwoInstances;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances writing to one database at once still form one valid chain. */
class MultiInstanceAuditChainTest {
  @RegisterExtension
  static final TwoInstances instances = new TwoInstances();

  @Test
  void concurrentWritesThroughBothInstancesChainOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      TestServer target = i % 2 == 0 ? instances.first() : instances.second();
      int n = i;
      results.add(pool.submit((Callable<Integer>) () -> target.call("POST", "/api/2.1/unity-catalog/catalogs",
          "{\"name\":\"both_" + n + "\"}", TestServer.ADMIN_KEY).statusCode()));
    }
    for (Future<Integer> r : results) {
      assertThat(r.get()).isEqualTo(200);
    }
    pool.shutdown();
    var verdict = new ObjectMapper().readTree(
        instances.second().call("GET", "/api/1.0/gatehouse/audit/verify", null, TestServer.ADMIN_KEY).body());
    assertThat(verdict.get("ok").asBoolean()).as(verdict.toString()).isTrue();
    assertThat(verdict.get("events_checked").asLong()).isGreaterThanOrEqualTo(60);
  }
}
