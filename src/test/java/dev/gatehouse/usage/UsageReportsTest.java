package dev.gatehouse.usage;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.ApiClient;
import dev.gatehouse.client.api.ApiKeysApi;
import dev.gatehouse.client.api.GroupsApi;
import dev.gatehouse.client.api.UsageApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.model.CreateApiKey;
import dev.gatehouse.client.model.ModelVariant;
import dev.gatehouse.client.model.ScimGroup;
import dev.gatehouse.client.model.ScimMember;
import dev.gatehouse.client.model.ScimUser;
import dev.gatehouse.client.model.UsageRecordInfo;
import dev.gatehouse.client.model.UsageSummary;
import dev.gatehouse.gateway.FakeProvider;
import dev.gatehouse.gateway.GatewayFixture;
import dev.gatehouse.testing.Scim;
import dev.gatehouse.testing.TestServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reports over a ledger of known calls: summaries add up to the raw records for every grouping,
 * tags and groups are attributed as they were at the time, records page and export whole,
 * champion and challenger compare, and principals see only their own usage.
 */
class UsageReportsTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  @RegisterExtension
  static final FakeProvider provider = new FakeProvider();
  private static GatewayFixture fixture;
  private static String ursula;
  private static String victor;
  private static String wendy;

  @BeforeAll
  static void ledger() throws Exception {
    fixture = new GatewayFixture(server);
    fixture.schema("ai", "llm");
    fixture.connection("mock", "MOCK", "{\"completion_tokens\":\"7\"}");
    fixture.connection("oa", "OPENAI", "{\"base_url\":\"" + provider.baseUrl() + "/v1\",\"api_key\":\"sk\",\"max_retries\":\"0\"}");
    fixture.model("alpha", "");
    fixture.version("alpha", 1, "mock", "mock-large", "chat", "champion");
    fixture.version("alpha", 2, "mock", "mock-small", "chat", "challenger");
    fixture.model("beta", "");
    fixture.version("beta", 1, "oa", "unknown-model", "chat", "champion");
    UsersApi users = new UsersApi(server.admin());
    ScimUser u = users.createUser(new ScimUser().userName("ursula"));
    ScimUser v = users.createUser(new ScimUser().userName("victor"));
    ScimUser w = users.createUser(new ScimUser().userName("wendy"));
    GroupsApi groups = new GroupsApi(server.admin());
    groups.createGroup(new ScimGroup().displayName("analysts").members(List.of(new ScimMember().value(u.getId()),
        new ScimMember().value(v.getId()))));
    fixture.admin("PATCH", "/api/2.1/unity-catalog/permissions/catalog/ai", "{\"changes\":[{\"principal\":\"analysts\","
        + "\"add\":[\"USE_CATALOG\",\"USE_SCHEMA\",\"EXECUTE\"]}]}");
    groups.createGroup(new ScimGroup().displayName("search").members(List.of(new ScimMember().value(u.getId()))));
    String auditors = groups.listGroups("displayName eq \"auditors\"", null, null).getResources().get(0).getId();
    groups.patchGroup(auditors, Scim.patch("add", "members", Scim.members(w.getId())));
    ApiKeysApi keys = new ApiKeysApi(server.admin());
    var ursulasKey = keys.createApiKey(new CreateApiKey().name("tagged").principal("ursula")
        .defaultTags(Map.of("team", "search", "project", "faq")));
    assertThat(ursulasKey.getDefaultTags()).containsEntry("team", "search");
    assertThat(keys.getApiKey(ursulasKey.getId()).getDefaultTags()).containsEntry("project", "faq");
    ursula = ursulasKey.getKey();
    victor = keys.createApiKey(new CreateApiKey().name("plain").principal("victor")).getKey();
    wendy = keys.createApiKey(new CreateApiKey().name("auditor").principal("wendy")).getKey();

    for (int i = 0; i < 3; i++) {
      assertThat(chat(ursula, "ai.llm.alpha@champion", i == 0 ? "project=bot,Env=prod" : null)).isEqualTo(200);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(chat(ursula, "ai.llm.alpha@challenger", null)).isEqualTo(200);
    }
    assertThat(chat(victor, "ai.llm.alpha", "team=ops")).isEqualTo(200);
    assertThat(chat(victor, "ai.llm.beta", null)).isEqualTo(200);
    assertThat(chat(victor, "ai.llm.nothing", null)).isEqualTo(404);
  }

  private static int chat(String key, String model, String tags) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":5,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"));
    if (tags != null) {
      request.header("x-gatehouse-tags", tags);
    }
    return server.send(request).statusCode();
  }

  private static UsageApi usage(String key) {
    ApiClient client = key == null ? server.admin() : server.client(key);
    return new UsageApi(client);
  }

  /** Every record, straight from the database. */
  private static List<UsageRecord> raw() {
    return server.jdbi().withHandle(h -> h.createQuery("SELECT " + UsageDao.COLUMNS + " FROM usage_records")
        .map(org.jdbi.v3.core.mapper.reflect.ConstructorMapper.of(UsageRecord.class)).list());
  }

  @Test
  void summariesAddUpToTheRawRecordsForEveryGrouping() throws Exception {
    List<UsageRecord> records = raw();
    BigDecimal cost = records.stream().map(UsageRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    long prompt = records.stream().mapToLong(UsageRecord::promptTokens).sum();
    assertThat(cost).isPositive();
    for (String groupBy : List.of("", "model", "principal,model", "version,alias", "key,connection,provider", "day",
        "tag:team", "tag:project,tag:env,model")) {
      UsageSummary summary = usage(null).summarizeUsage(groupBy, null, null, null, null, null);
      Map<String, Object> totals = summary.getTotals();
      assertThat(((Number) totals.get("requests")).longValue()).as(groupBy).isEqualTo(records.size());
      assertThat(((Number) totals.get("prompt_tokens")).longValue()).as(groupBy).isEqualTo(prompt);
      assertThat(new BigDecimal((String) totals.get("cost_usd"))).as(groupBy).isEqualByComparingTo(cost);
      assertThat(sum(summary.getRows(), "requests")).as(groupBy).isEqualByComparingTo(BigDecimal.valueOf(records.size()));
      assertThat(sum(summary.getRows(), "prompt_tokens")).as(groupBy).isEqualByComparingTo(BigDecimal.valueOf(prompt));
      assertThat(sum(summary.getRows(), "completion_tokens")).as(groupBy).isEqualByComparingTo(BigDecimal.valueOf(
          records.stream().mapToLong(UsageRecord::completionTokens).sum()));
      assertThat(sum(summary.getRows(), "cost_usd")).as(groupBy).isEqualByComparingTo(cost);
      if (!groupBy.isEmpty()) {
        assertThat(summary.getRows()).allSatisfy(row -> assertThat(row).containsKeys(groupBy.split(",")));
      }
    }
  }

  @Test
  void tagsAreTheKeysDefaultsWithTheRequestsOnTopAndGroupsAsTheyWere() throws Exception {
    UsageSummary byProject = usage(null).summarizeUsage("principal,tag:project", null, null, null, null, null);
    assertThat(byProject.getRows()).anySatisfy(r -> assertThat(r).containsEntry("principal", "ursula")
        .containsEntry("tag:project", "bot").containsEntry("requests", 1));
    assertThat(byProject.getRows()).anySatisfy(r -> assertThat(r).containsEntry("principal", "ursula")
        .containsEntry("tag:project", "faq").containsEntry("requests", 4));
    assertThat(byProject.getRows()).anySatisfy(r -> assertThat(r).containsEntry("principal", "victor")
        .containsEntry("tag:project", null));
    UsageSummary byGroup = usage(null).summarizeUsage("group", null, null, null, null, null);
    // a record counts once in every group its caller was in: ursula's 5 in both of hers, victor's 3 in analysts
    assertThat(byGroup.getRows()).anySatisfy(r -> assertThat(r).containsEntry("group", "analysts").containsEntry("requests", 8));
    assertThat(byGroup.getRows()).hasSize(2);
    assertThat(byGroup.getRows()).anySatisfy(r -> assertThat(r).containsEntry("group", "search").containsEntry("requests", 5));
    var bad = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + victor).header("x-gatehouse-tags", "no equals sign")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"ai.llm.alpha\",\"messages\":[]}")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"error\"").contains("x-gatehouse-tags");
    assertApiError(() -> new ApiKeysApi(server.admin()).createApiKey(new CreateApiKey().name("bad").principal("victor")
        .defaultTags(Map.of("Bad Key", "x"))), 400, "INVALID_ARGUMENT");
    assertApiError(() -> usage(null).summarizeUsage("tag", null, null, null, null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> usage(null).summarizeUsage("color", null, null, null, null, null), 400, "INVALID_ARGUMENT");
  }

  @Test
  void anUnpricedModelAllowedByConfigurationIsFlagged() {
    UsageRecord beta = raw().stream().filter(r -> r.modelFullName().equals("ai.llm.beta")).findFirst().orElseThrow();
    assertThat(beta.unpriced()).isTrue();
    assertThat(beta.costUsd()).isZero();
    assertThat(raw().stream().filter(r -> r.modelFullName().equals("ai.llm.alpha"))).allSatisfy(r -> {
      assertThat(r.unpriced()).isFalse();
      assertThat(r.priceRef()).startsWith("builtin provider:mock/mock-");
    });
  }

  @Test
  void recordsPageAndExportWhole() throws Exception {
    Set<String> seen = new HashSet<>();
    String token = null;
    do {
      var page = usage(null).listUsageRecords(null, null, null, null, null, 3, token);
      assertThat(page.getRecords()).hasSizeLessThanOrEqualTo(3);
      page.getRecords().forEach(r -> assertThat(seen.add(r.getId())).isTrue());
      token = page.getNextPageToken();
    } while (token != null);
    assertThat(seen).hasSize(raw().size());
    List<UsageRecordInfo> ursulas = usage(null).listUsageRecords(null, null, "ursula", "ai.llm.alpha", null, null, null)
        .getRecords();
    assertThat(ursulas).hasSize(5).allSatisfy(r -> assertThat(r.getTags()).containsEntry("team", "search"));
    assertThat(ursulas).allSatisfy(r -> assertThat(r.getGroups()).containsExactly("analysts", "search"));
    var jsonl = server.call("GET", "/api/1.0/gatehouse/usage/export", null, TestServer.ADMIN_KEY);
    assertThat(jsonl.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("ndjson"));
    assertThat(jsonl.body().lines()).hasSize(raw().size());
    var csv = server.call("GET", "/api/1.0/gatehouse/usage/export?format=csv&principal=victor", null,
        TestServer.ADMIN_KEY);
    assertThat(csv.body().lines()).hasSize(4).first().asString().startsWith("id,request_id,created_at");
    var summaryCsv = server.call("GET", "/api/1.0/gatehouse/usage/summary?group_by=model&format=csv", null,
        TestServer.ADMIN_KEY);
    List<String> lines = summaryCsv.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("model,requests,prompt_tokens,completion_tokens,cached_tokens,cost_usd");
    assertThat(lines.get(lines.size() - 1)).startsWith("TOTAL," + raw().size() + ",");
  }

  @Test
  void championAndChallengerCompare() throws Exception {
    List<ModelVariant> variants = usage(null).compareModelVariants("ai.llm.alpha", null, null).getVariants();
    List<String> seen = new ArrayList<>();
    variants.forEach(v -> seen.add(v.getAlias() + "@" + v.getVersion() + "=" + v.getRequests()));
    // ursula's three to the champion and victor's one to the model (its default route: the champion)
    assertThat(seen).containsExactly("challenger@2=2", "champion@1=4");
    assertThat(variants).allSatisfy(v -> {
      assertThat(v.getErrorRate()).isEqualTo("0.0000");
      assertThat(v.getLatencyP50Ms()).isNotNull().isLessThanOrEqualTo(v.getLatencyP95Ms());
      assertThat(new BigDecimal(v.getCostUsd())).isPositive();
    });
  }

  @Test
  void principalsSeeTheirOwnUsageAndAuditorsSeeAll() throws Exception {
    long victors = raw().stream().filter(r -> r.principalName().equals("victor")).count();
    assertThat(((Number) usage(victor).summarizeUsage(null, null, null, null, null, null).getTotals().get("requests"))
        .longValue()).isEqualTo(victors);
    assertThat(usage(victor).listUsageRecords(null, null, null, null, null, null, null).getRecords())
        .allSatisfy(r -> assertThat(r.getPrincipal()).isEqualTo("victor"));
    assertApiError(() -> usage(victor).summarizeUsage(null, null, null, "ursula", null, null), 403, "PERMISSION_DENIED");
    assertApiError(() -> usage(victor).listUsageRecords(null, null, "ursula", null, null, null, null), 403,
        "PERMISSION_DENIED");
    assertThat(((Number) usage(wendy).summarizeUsage(null, null, null, null, null, null).getTotals().get("requests"))
        .longValue()).isEqualTo(raw().size());
    assertThat(usage(wendy).summarizeUsage(null, null, null, "ursula", null, null).getTotals().get("requests"))
        .isEqualTo(5);
    assertThat(usage(victor).compareModelVariants("ai.llm.alpha", null, null).getVariants())
        .extracting(ModelVariant::getRequests).containsExactly(1L);
  }

  private static BigDecimal sum(List<Map<String, Object>> rows, String field) {
    return rows.stream().map(r -> new BigDecimal(r.get(field).toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
