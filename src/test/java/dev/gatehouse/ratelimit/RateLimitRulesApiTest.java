package dev.gatehouse.ratelimit;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static dev.gatehouse.testing.ApiAssertions.assertRawError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.api.RateLimitsApi;
import dev.gatehouse.client.model.RateLimit;
import dev.gatehouse.client.model.RateLimitRule;
import dev.gatehouse.client.model.RateLimitRuleInput;
import dev.gatehouse.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rule management through the generated client: validation, 404s for unknown names, who sees what. */
class RateLimitRulesApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static RateLimitSupport support;
  private static String[] olgaKey;
  private static String olga;
  private static RateLimitsApi admin;

  @BeforeAll
  static void fixture() {
    support = new RateLimitSupport(server);
    admin = new RateLimitsApi(server.admin());
    support.everyoneGroup();
    support.connection("mock", 5);
    support.catalog("ai", "llm", "hidden");
    support.model("ai.llm.chat", "mock");
    support.model("ai.hidden.secret", "mock");
    support.model("ai.llm.crud", "mock");
    // olga may see ai.llm.chat (EXECUTE on it), nothing in ai.hidden
    olga = support.user("olga");
    support.user("pete");
    olgaKey = support.key("olga", "second");
    support.group("analysts", "olga");
    support.group("others", "pete");
    support.group("strangers", "pete");
    support.admin("PATCH", "/api/2.1/unity-catalog/permissions/catalog/ai",
        "{\"changes\":[{\"principal\":\"olga\",\"add\":[\"USE_CATALOG\"]}]}");
    support.admin("PATCH", "/api/2.1/unity-catalog/permissions/schema/ai.llm",
        "{\"changes\":[{\"principal\":\"olga\",\"add\":[\"USE_SCHEMA\"]}]}");
    support.admin("PATCH", "/api/2.1/unity-catalog/permissions/registered_model/ai.llm.chat",
        "{\"changes\":[{\"principal\":\"olga\",\"add\":[\"EXECUTE\"]}]}");
  }

  private static RateLimitRuleInput input(RateLimitRuleInput.ScopeTypeEnum type, String name, RateLimit... limits) {
    return new RateLimitRuleInput().scopeType(type).scopeName(name).limits(List.of(limits));
  }

  private static RateLimit limit(RateLimit.KindEnum kind, RateLimit.PerEnum per, long limit) {
    return new RateLimit().kind(kind).per(per).limit(limit);
  }

  private static final RateLimit TEN_A_MINUTE = limit(RateLimit.KindEnum.REQUESTS, RateLimit.PerEnum.MINUTE, 10);

  @Test
  void aRuleIsCreatedReadUpdatedAndDeletedWithCanonicalNames() throws Exception {
    RateLimitRule made = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.MODEL, "AI.LLM.Crud",
        TEN_A_MINUTE, limit(RateLimit.KindEnum.TOKENS, RateLimit.PerEnum.DAY, 100_000)));
    assertThat(made.getId()).isNotBlank();
    assertThat(made.getScopeType()).isEqualTo(RateLimitRule.ScopeTypeEnum.MODEL);
    assertThat(made.getScopeName()).isEqualTo("ai.llm.crud");
    assertThat(made.getPerMember()).isFalse();
    assertThat(made.getLimits()).hasSize(2);
    assertThat(made.getCreatedBy()).isEqualTo("admin");
    assertThat(admin.getRateLimit(made.getId())).isEqualTo(made);

    RateLimitRule changed = admin.updateRateLimit(made.getId(), input(RateLimitRuleInput.ScopeTypeEnum.MODEL,
        "ai.llm", limit(RateLimit.KindEnum.REQUESTS, RateLimit.PerEnum.HOUR, 5)));
    assertThat(changed.getScopeName()).isEqualTo("ai.llm");
    assertThat(changed.getLimits()).containsExactly(limit(RateLimit.KindEnum.REQUESTS, RateLimit.PerEnum.HOUR, 5));
    assertThat(changed.getCreatedAt()).isEqualTo(made.getCreatedAt());
    assertThat(admin.listRateLimits(null, null).getRateLimits()).extracting(RateLimitRule::getId)
        .contains(made.getId());

    admin.deleteRateLimit(made.getId());
    assertApiError(() -> admin.getRateLimit(made.getId()), 404, "NOT_FOUND");
    assertApiError(() -> admin.deleteRateLimit(made.getId()), 404, "NOT_FOUND");

    // every change is in the audit log under the operation's name
    JsonNode events = RateLimitSupport.json(support.admin("GET",
        "/api/1.0/gatehouse/audit/events?service=ratelimit&full_name=" + made.getId(), null));
    assertThat(events.toString()).contains("createRateLimit", "updateRateLimit", "deleteRateLimit");
  }

  @Test
  void nonsenseIsRefusedWith400() {
    String[] bodies = {
        "{\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}",
        "{\"scope_type\":\"planet\",\"scope_name\":\"x\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}",
        "{\"scope_type\":\"global\",\"limits\":[]}",
        "{\"scope_type\":\"global\"}",
        "{\"scope_type\":\"global\",\"limits\":[{\"kind\":\"bytes\",\"per\":\"minute\",\"limit\":1}]}",
        "{\"scope_type\":\"global\",\"limits\":[{\"kind\":\"requests\",\"per\":\"week\",\"limit\":1}]}",
        "{\"scope_type\":\"global\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":0}]}",
        "{\"scope_type\":\"global\",\"limits\":[{\"kind\":\"tokens\",\"per\":\"minute\",\"limit\":60000000001}]}",
        "{\"scope_type\":\"global\",\"limits\":[{\"kind\":\"tokens\",\"per\":\"day\",\"limit\":1000000000001}]}",
        "{\"scope_type\":\"global\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\"}]}",
        "{\"scope_type\":\"global\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1},"
            + "{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":2}]}",
        "{\"scope_type\":\"global\",\"scope_name\":\"x\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}",
        "{\"scope_type\":\"principal\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}",
        "{\"scope_type\":\"principal\",\"scope_name\":\"olga\",\"per_member\":true,"
            + "\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}",
        "{\"scope_type\":\"model\",\"scope_name\":\"a.b.c.d\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}",
        "{\"scope_type\":\"model\",\"scope_name\":\"ai..chat\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}",
    };
    for (String body : bodies) {
      assertRawError(server.call("POST", RateLimitSupport.RULES, body, TestServer.ADMIN_KEY), 400, "INVALID_ARGUMENT");
    }
  }

  @Test
  void aScopeNamingNothingIs404AndASecondRuleForAScopeIs409() throws Exception {
    String[][] missing = {{"key", "00000000-0000-0000-0000-00000000dead"}, {"principal", "nobody"},
        {"group", "nogroup"}, {"group", "olga"}, {"principal", "analysts"}, {"model", "ai.llm.none"},
        {"model", "ai.none"}, {"model", "nocatalog"}};
    for (String[] scope : missing) {
      assertRawError(server.call("POST", RateLimitSupport.RULES, "{\"scope_type\":\"" + scope[0] + "\",\"scope_name\":\""
          + scope[1] + "\",\"limits\":[{\"kind\":\"requests\",\"per\":\"minute\",\"limit\":1}]}", TestServer.ADMIN_KEY),
          404, "NOT_FOUND");
    }
    RateLimitRule rule = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.PRINCIPAL, "pete", TEN_A_MINUTE));
    assertApiError(() -> admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.PRINCIPAL, "PETE", TEN_A_MINUTE)),
        409, "ALREADY_EXISTS");
    // the same group shared and per member are two scopes
    admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.GROUP, "others", TEN_A_MINUTE));
    admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.GROUP, "others", TEN_A_MINUTE).perMember(true));
    assertApiError(() -> admin.updateRateLimit("no-such-rule", input(RateLimitRuleInput.ScopeTypeEnum.GLOBAL, null,
        TEN_A_MINUTE)), 404, "NOT_FOUND");
    admin.deleteRateLimit(rule.getId());
  }

  @Test
  void othersSeeOnlyTheRulesThatCanApplyToTheirCallsAndChangeNone() throws Exception {
    RateLimitRule own = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.PRINCIPAL, "olga", TEN_A_MINUTE));
    RateLimitRule ownKey = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.KEY, olgaKey[0], TEN_A_MINUTE));
    RateLimitRule group = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.GROUP, "analysts",
        TEN_A_MINUTE).perMember(true));
    RateLimitRule model = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.MODEL, "ai.llm.chat",
        TEN_A_MINUTE));
    RateLimitRule hidden = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.MODEL, "ai.hidden",
        TEN_A_MINUTE));
    RateLimitRule everyone = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.GROUP, "everyone",
        TEN_A_MINUTE));
    RateLimitRule global = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.GLOBAL, null,
        limit(RateLimit.KindEnum.REQUESTS, RateLimit.PerEnum.DAY, 1_000_000)));
    RateLimitRule someoneElse = admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.GROUP, "strangers",
        limit(RateLimit.KindEnum.TOKENS, RateLimit.PerEnum.DAY, 7)).perMember(false));
    RateLimitsApi asOlga = new RateLimitsApi(server.client(olga));

    List<String> seen = asOlga.listRateLimits(null, null).getRateLimits().stream().map(RateLimitRule::getId).toList();
    assertThat(seen).contains(own.getId(), ownKey.getId(), group.getId(), model.getId(), everyone.getId(),
        global.getId())
        .doesNotContain(hidden.getId(), someoneElse.getId());
    assertThat(asOlga.getRateLimit(own.getId())).isEqualTo(own);
    assertApiError(() -> asOlga.getRateLimit(hidden.getId()), 404, "NOT_FOUND");
    assertApiError(() -> asOlga.getRateLimit(someoneElse.getId()), 404, "NOT_FOUND");

    assertApiError(() -> asOlga.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.PRINCIPAL, "pete",
        TEN_A_MINUTE)), 403, "PERMISSION_DENIED");
    assertApiError(() -> asOlga.updateRateLimit(own.getId(), input(RateLimitRuleInput.ScopeTypeEnum.PRINCIPAL, "olga",
        limit(RateLimit.KindEnum.REQUESTS, RateLimit.PerEnum.MINUTE, 1000))), 403, "PERMISSION_DENIED");
    assertApiError(() -> asOlga.deleteRateLimit(own.getId()), 403, "PERMISSION_DENIED");
    assertApiError(() -> asOlga.deleteRateLimit(someoneElse.getId()), 404, "NOT_FOUND");

    // MANAGE on the metastore makes a rule manager
    support.admin("PATCH", "/api/2.1/unity-catalog/permissions/metastore/metastore",
        "{\"changes\":[{\"principal\":\"olga\",\"add\":[\"MANAGE\"]}]}");
    assertThat(asOlga.listRateLimits(null, null).getRateLimits()).extracting(RateLimitRule::getId)
        .contains(hidden.getId(), someoneElse.getId());
    asOlga.deleteRateLimit(someoneElse.getId());
    support.admin("PATCH", "/api/2.1/unity-catalog/permissions/metastore/metastore",
        "{\"changes\":[{\"principal\":\"olga\",\"remove\":[\"MANAGE\"]}]}");
  }

  @Test
  void listsArePaged() throws Exception {
    for (String name : List.of("p1", "p2", "p3")) {
      support.admin("POST", "/api/1.0/unity-control/scim2/Groups", "{\"displayName\":\"" + name + "\"}");
      admin.createRateLimit(input(RateLimitRuleInput.ScopeTypeEnum.GROUP, name, TEN_A_MINUTE));
    }
    var first = admin.listRateLimits(2, null);
    assertThat(first.getRateLimits()).hasSize(2);
    var second = admin.listRateLimits(2, first.getNextPageToken());
    assertThat(second.getRateLimits().get(0).getId()).isGreaterThan(first.getRateLimits().get(1).getId());
  }
}
