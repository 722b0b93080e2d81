package dev.gatehouse.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.model.BudgetInfo;
import dev.gatehouse.testing.TestServer;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 200 calls at once against a hard budget that covers a fraction of them, streamed, whole and left
 * mid-stream: spend never passes the amount, not even for a moment counting the holds, and what it
 * shows is exactly what the ledger recorded.
 */
class BudgetConcurrencyTest {
  static final int CALLS = 200;

  @RegisterExtension
  static final TestServer server = new TestServer();
  private static BudgetFixture fixture;

  @BeforeAll
  static void setUp() {
    fixture = new BudgetFixture(server);
    fixture.setUp("mock", "{\"completion_tokens\":\"10\",\"tokens_per_second\":\"200\"}");
    fixture.model("race", "mock");
  }

  @Test
  void twoHundredConcurrentCallsNeverOvershootAHardBudget() throws Exception {
    BigDecimal amount = new BigDecimal("1.00");
    BudgetInfo budget = fixture.budget("model", "ai.llm.race", amount.toPlainString(), "total", true, null, null);
    BudgetFixture.Race race = fixture.race(List.of(server), TestServer.ADMIN_KEY, "race", CALLS, server.jdbi(),
        budget.getId());
    assertRaceHeld(race, fixture, server, budget.getId(), amount, "race");
  }

  /** What every race must show, on one instance or several. */
  static void assertRaceHeld(BudgetFixture.Race race, BudgetFixture fixture, TestServer server, String budgetId,
      BigDecimal amount, String model) throws Exception {
    assertThat(race.statuses()).allMatch(s -> s == 200 || s == 429);
    assertThat(race.statuses()).contains(200, 429);
    assertThat(race.mostHeld()).isLessThanOrEqualTo(amount);
    BigDecimal[] held = BudgetFixture.spentAndReserved(server.jdbi(), budgetId);
    assertThat(held[1]).isZero();
    assertThat(held[0]).isLessThanOrEqualTo(amount).isPositive();
    // the budget's spend is exactly what the admitted calls cost, as recorded one by one
    assertThat(held[0]).isEqualByComparingTo(BudgetFixture.recordedCost(server.jdbi(), model));
    assertThat(new BigDecimal(fixture.read(budgetId).getSpentUsd())).isEqualByComparingTo(held[0]);
    long refused = race.statuses().stream().filter(s -> s == 429).count();
    long admitted = race.statuses().size() - refused;
    // the cost of the next call could pass the amount, or the budget would have admitted more
    assertThat(admitted).isGreaterThanOrEqualTo(2);
  }
}
