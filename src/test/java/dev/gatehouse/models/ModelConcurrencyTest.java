package dev.gatehouse.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.ApiException;
import dev.gatehouse.client.model.ModelVersionInfo;
import dev.gatehouse.client.model.RegisteredModelAlias;
import dev.gatehouse.client.model.RegisteredModelInfo;
import dev.gatehouse.client.model.SetRegisteredModelAlias;
import dev.gatehouse.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many clients at once on one model: the model's lock must keep numbers and aliases consistent. */
class ModelConcurrencyTest {
  private static final int THREADS = 20;

  @RegisterExtension
  static final TestServer server = new TestServer();

  private final ModelFixture fx = new ModelFixture(server.admin());

  /** Runs {@code task(i)} for i in 0..n-1 on n threads released together; returns results in order. */
  private static <T> List<T> together(int n, IndexedTask<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit((Callable<T>) () -> {
          start.await();
          return task.run(index);
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface IndexedTask<T> {
    T run(int index) throws Exception;
  }

  @Test
  void concurrentCreatesGetEveryNumberOnce() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    // each thread with its own client, as separate processes would be
    List<Long> numbers = together(THREADS, i -> new ModelFixture(server.admin()).newVersion(model).getVersion());
    assertThat(numbers).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, THREADS).boxed().toList());
    assertThat(fx.versions.listModelVersions(model.getFullName(), null, null).getModelVersions())
        .extracting(ModelVersionInfo::getVersion)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, THREADS).boxed().toList());
    assertThat(fx.newVersion(model).getVersion()).isEqualTo(THREADS + 1L);
  }

  @Test
  void concurrentAliasMovesLeaveOneConsistentTarget() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    for (int i = 0; i < 5; i++) {
      fx.readyVersion(model);
    }
    // every thread moves both aliases to versions 1..5, in opposite orders so that moves interleave
    together(THREADS, i -> {
      ModelFixture client = new ModelFixture(server.admin());
      long version = i % 5 + 1;
      client.aliases.setRegisteredModelAlias(model.getFullName(), "champion",
          new SetRegisteredModelAlias().versionNum(version));
      return client.aliases.setRegisteredModelAlias(model.getFullName(), "challenger",
          new SetRegisteredModelAlias().versionNum(6 - version));
    });

    List<RegisteredModelAlias> aliases = fx.models.getRegisteredModel(model.getFullName()).getAliases();
    assertThat(aliases).extracting(RegisteredModelAlias::getAliasName).containsExactly("challenger", "champion");
    for (RegisteredModelAlias alias : aliases) {
      assertThat(alias.getVersionNum()).isBetween(1L, 5L);
      ModelVersionInfo target = fx.aliases.getModelVersionByAlias(model.getFullName(), alias.getAliasName());
      assertThat(target.getVersion()).isEqualTo(alias.getVersionNum());
    }
    // and each version lists exactly the aliases that point to it
    for (ModelVersionInfo version : fx.versions.listModelVersions(model.getFullName(), null, null).getModelVersions()) {
      assertThat(version.getAliases()).extracting(RegisteredModelAlias::getAliasName)
          .containsExactlyInAnyOrderElementsOf(aliases.stream()
              .filter(a -> a.getVersionNum() == version.getVersion()).map(RegisteredModelAlias::getAliasName).toList());
    }
  }

  @Test
  void concurrentMovesAndForcedDeletesNeverLeaveADanglingAlias() throws Exception {
    RegisteredModelInfo model = fx.newModel();
    for (int i = 0; i < THREADS / 2; i++) {
      fx.readyVersion(model);
    }
    // for each version, one thread points the alias at it while another force-deletes it
    together(THREADS, i -> {
      ModelFixture client = new ModelFixture(server.admin());
      long version = i / 2 + 1;
      try {
        if (i % 2 == 0) {
          client.aliases.setRegisteredModelAlias(model.getFullName(), "champion",
              new SetRegisteredModelAlias().versionNum(version));
        } else {
          client.versions.deleteModelVersion(model.getFullName(), version, true);
        }
      } catch (ApiException e) {
        // the version may be gone before the alias reaches it: a clean 404, nothing else
        assertThat(e.getCode()).isEqualTo(404);
      }
      return null;
    });
    assertThat(fx.versions.listModelVersions(model.getFullName(), null, null).getModelVersions()).isEmpty();
    assertThat(fx.models.getRegisteredModel(model.getFullName()).getAliases()).isEmpty();
  }
}
