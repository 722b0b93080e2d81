package dev.gatehouse.budget;

import dev.gatehouse.client.ApiException;
import dev.gatehouse.client.api.BudgetsApi;
import dev.gatehouse.client.model.BudgetInfo;
import dev.gatehouse.client.model.CreateBudget;
import dev.gatehouse.gateway.GatewayFixture;
import dev.gatehouse.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A priced MOCK model (ai.llm.{name}) for budget tests, budgets made through the generated client,
 * calls as raw requests (many at once, streamed, or left mid-stream), and the ledger read directly.
 * The mock's price is 1000 USD per 1M tokens both ways: a call of 20 tokens costs 0.02 USD.
 */
final class BudgetFixture {
  static final BigDecimal PER_TOKEN = new BigDecimal("0.001");
  private final TestServer server;
  private final GatewayFixture gateway;

  BudgetFixture(TestServer server) {
    this.server = server;
    this.gateway = new GatewayFixture(server);
  }

  /** The catalog ai.llm and a connection {@code conn} whose model mock-priced costs {@link #PER_TOKEN}. */
  void setUp(String connection, String options) {
    gateway.schema("ai", "llm");
    gateway.connection(connection, "MOCK", options);
    gateway.admin("PUT", "/api/1.0/gatehouse/pricing", "[{\"connection_name\":\"" + connection
        + "\",\"upstream_model\":\"*\",\"input_per_million_usd\":\"1000\",\"output_per_million_usd\":\"1000\"}]");
  }

  void model(String name, String connection) {
    gateway.model(name, "");
    gateway.version(name, 1, connection, "mock-priced", "chat", "champion");
  }

  BudgetInfo budget(String scopeType, String scopeName, String amount, String period, boolean hard,
      List<Integer> thresholds, String webhook) throws ApiException {
    return new BudgetsApi(server.admin()).createBudget(new CreateBudget().scopeType(scopeType).scopeName(scopeName)
        .amountUsd(amount).period(period).hard(hard).alertThresholds(thresholds).webhookUrl(webhook));
  }

  BudgetInfo read(String id) throws ApiException {
    return new BudgetsApi(server.admin()).getBudget(id);
  }

  /** A chat call; {@code stream} asks for a stream, read to its end. Answers the status. */
  int chat(TestServer target, String key, String model, boolean stream, int maxTokens) {
    var response = target.call("POST", "/v1/chat/completions", body(model, stream, maxTokens), key);
    return response.statusCode();
  }

  /** A streamed call whose client leaves after the first chunk. Answers the status line's code. */
  int leaveMidStream(TestServer target, String key, String model, int maxTokens) throws Exception {
    String body = body(model, true, maxTokens);
    try (Socket socket = new Socket("127.0.0.1", target.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
          + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      int status = Integer.parseInt(in.readLine().split(" ")[1]);
      String line;
      while (status == 200 && (line = in.readLine()) != null) {
        if (line.startsWith("data: {")) {
          break; // the client leaves after its first chunk
        }
      }
      return status;
    }
  }

  private static String body(String model, boolean stream, int maxTokens) {
    return "{\"model\":\"ai.llm." + model + "\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  /** What a race of concurrent calls saw: each call's status, and the most spent + reserved ever read. */
  record Race(List<Integer> statuses, BigDecimal mostHeld) {}

  /**
   * {@code calls} calls at once, spread over {@code targets}: a third streamed to the end, a third
   * whole, a third streamed and left after the first chunk. Meanwhile spent + reserved of the
   * budget is read over and over, to catch it above the amount at any moment.
   */
  Race race(List<TestServer> targets, String key, String model, int calls, Jdbi jdbi, String budgetId)
      throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(calls);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicReference<BigDecimal> most = new java.util.concurrent.atomic.AtomicReference<>(
        BigDecimal.ZERO);
    Thread watcher = new Thread(() -> {
      while (running.get()) {
        BigDecimal[] held = spentAndReserved(jdbi, budgetId);
        most.accumulateAndGet(held[0].add(held[1]), BigDecimal::max);
      }
    });
    watcher.start();
    List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
    for (int i = 0; i < calls; i++) {
      TestServer target = targets.get(i % targets.size());
      int kind = i % 3;
      results.add(pool.submit(() -> {
        start.await();
        return switch (kind) {
          case 0 -> chat(target, key, model, true, 10);
          case 1 -> chat(target, key, model, false, 10);
          default -> leaveMidStream(target, key, model, 10);
        };
      }));
    }
    start.countDown();
    List<Integer> statuses = new java.util.ArrayList<>();
    for (var result : results) {
      statuses.add(result.get(60, java.util.concurrent.TimeUnit.SECONDS));
    }
    pool.shutdown();
    awaitSettled(jdbi, budgetId);
    running.set(false);
    watcher.join();
    return new Race(statuses, most.get());
  }

  /**
   * Spent and reserved over every period of the budget, as they stand: with the charges its leases
   * hold and have not folded into the periods yet (read in one statement, so at one moment).
   */
  static BigDecimal[] spentAndReserved(Jdbi jdbi, String budgetId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(spent_usd), 0) + (SELECT COALESCE(SUM(charged_usd), 0)"
        + " FROM budget_leases WHERE budget_id = :id) AS s, COALESCE(SUM(reserved_usd), 0) - (SELECT"
        + " COALESCE(SUM(covered_usd), 0) FROM budget_leases WHERE budget_id = :id) AS r FROM budget_periods"
        + " WHERE budget_id = :id").bind("id", budgetId)
        .map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal("s"), rs.getBigDecimal("r")}).one());
  }

  /** The cost of every usage record of the model, summed. */
  static BigDecimal recordedCost(Jdbi jdbi, String model) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(cost_usd), 0) FROM usage_records"
        + " WHERE model_full_name = :m").bind("m", "ai.llm." + model).mapTo(BigDecimal.class).one());
  }

  /** Waits until no call holds a reservation on the budget (streams settle as they end). */
  static void awaitSettled(Jdbi jdbi, String budgetId) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (spentAndReserved(jdbi, budgetId)[1].signum() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
