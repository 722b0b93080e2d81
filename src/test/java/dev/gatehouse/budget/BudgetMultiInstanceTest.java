package dev.gatehouse.budget;

import dev.gatehouse.client.model.BudgetInfo;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.testing.TwoInstances;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances on one database share every hard budget: together they never spend past it. */
class BudgetMultiInstanceTest {
  @RegisterExtension
  static final TwoInstances instances = new TwoInstances();
  private static BudgetFixture fixture;

  @BeforeAll
  static void setUp() {
    fixture = new BudgetFixture(instances.first());
    fixture.setUp("mock", "{\"completion_tokens\":\"10\",\"tokens_per_second\":\"200\"}");
    fixture.model("shared", "mock");
  }

  @Test
  void callsThroughBothInstancesNeverOvershootOneBudget() throws Exception {
    BigDecimal amount = new BigDecimal("0.75");
    BudgetInfo budget = fixture.budget("model", "ai.llm", amount.toPlainString(), "day", true, null, null);
    BudgetFixture.Race race = fixture.race(List.of(instances.first(), instances.second()), TestServer.ADMIN_KEY,
        "shared", BudgetConcurrencyTest.CALLS, instances.first().jdbi(), budget.getId());
    BudgetConcurrencyTest.assertRaceHeld(race, fixture, instances.first(), budget.getId(), amount, "shared");
  }
}
