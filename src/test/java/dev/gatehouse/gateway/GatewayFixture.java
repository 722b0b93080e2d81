package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestServer;
import dev.gatehouse.usage.UsageDao;
import dev.gatehouse.usage.UsageRecord;
import java.net.http.HttpResponse;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Models, versions, aliases and connections for gateway tests, made through the admin API. */
public final class GatewayFixture {
  private final TestServer server;

  public GatewayFixture(TestServer server) {
    this.server = server;
  }

  public void schema(String catalog, String schema) {
    admin("POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"" + catalog + "\"}");
    admin("POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"" + schema + "\",\"catalog_name\":\"" + catalog + "\"}");
  }

  public void connection(String name, String type, String options) {
    admin("POST", "/api/2.1/unity-catalog/connections",
        "{\"name\":\"" + name + "\",\"connection_type\":\"" + type + "\",\"options\":" + options + "}");
  }

  /** A model in ai.llm; {@code routing} is extra JSON fields of the model (routes, fallbacks) or "". */
  public void model(String name, String routing) {
    admin("POST", "/api/2.1/unity-catalog/models", "{\"name\":\"" + name
        + "\",\"catalog_name\":\"ai\",\"schema_name\":\"llm\"" + (routing.isEmpty() ? "" : "," + routing) + "}");
  }

  /** A READY serving version of ai.llm.{model}, with the aliases given. */
  public void version(String model, long number, String connection, String upstreamModel, String task, String... aliases) {
    admin("POST", "/api/2.1/unity-catalog/models/versions", "{\"catalog_name\":\"ai\",\"schema_name\":\"llm\","
        + "\"model_name\":\"" + model + "\",\"source\":\"test://" + upstreamModel + "\",\"serving\":{\"connection_name\":\""
        + connection + "\",\"upstream_model\":\"" + upstreamModel + "\",\"task\":\"" + task + "\"}}");
    admin("PATCH", "/api/2.1/unity-catalog/models/ai.llm." + model + "/versions/" + number + "/finalize",
        "{\"full_name\":\"ai.llm." + model + "\",\"version\":" + number + "}");
    for (String alias : aliases) {
      alias(model, alias, number);
    }
  }

  public void alias(String model, String alias, long number) {
    admin("PUT", "/api/2.1/unity-catalog/models/ai.llm." + model + "/aliases/" + alias, "{\"version_num\":" + number + "}");
  }

  public List<UsageRecord> usage(String model) {
    var db = server.database();
    Jdbi jdbi = Jdbi.create(db.effectiveUrl(), db.getUser(), db.getPassword()).installPlugin(new SqlObjectPlugin());
    return jdbi.withHandle(h -> h.attach(UsageDao.class).byModel(model));
  }

  /**
   * The model's usage records once one matches (a stream is recorded when it ends, which may be just
   * after its client read the last byte).
   */
  public List<UsageRecord> usageEventually(String model, java.util.function.Predicate<UsageRecord> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<UsageRecord> records = usage(model);
    while (records.stream().noneMatch(wanted) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      records = usage(model);
    }
    return records;
  }

  public HttpResponse<String> admin(String method, String path, String body) {
    HttpResponse<String> response = server.call(method, path, body, TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
    return response;
  }
}
