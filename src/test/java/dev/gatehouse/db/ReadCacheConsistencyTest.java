package dev.gatehouse.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.testing.TwoInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reads are served from caches keyed by the change epoch: a change committed through one instance
 * is seen by the very next read on the other, for every kind of cached lookup. Each test first
 * reads through the second instance so that it holds the old answer, then changes it through the
 * first.
 */
class ReadCacheConsistencyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CATALOGS = "/api/2.1/unity-catalog/catalogs";

  @RegisterExtension
  static final TwoInstances instances = new TwoInstances();

  @Test
  void anUpdatedCatalogIsReadFreshOnTheOtherInstance() throws Exception {
    admin(instances.first(), "POST", CATALOGS, "{\"name\":\"fresh\",\"comment\":\"old\"}");
    assertThat(read(instances.second(), CATALOGS + "/fresh").get("comment").asText()).isEqualTo("old");
    admin(instances.first(), "PATCH", CATALOGS + "/fresh", "{\"comment\":\"new\"}");
    assertThat(read(instances.second(), CATALOGS + "/fresh").get("comment").asText()).isEqualTo("new");
  }

  @Test
  void aMissingObjectCreatedElsewhereIsFoundAtOnce() throws Exception {
    assertThat(instances.second().call("GET", CATALOGS + "/late", null, TestServer.ADMIN_KEY).statusCode()).isEqualTo(404);
    admin(instances.first(), "POST", CATALOGS, "{\"name\":\"late\"}");
    assertThat(instances.second().call("GET", CATALOGS + "/late", null, TestServer.ADMIN_KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void tagsAndTableDetailsAreReadFresh() throws Exception {
    admin(instances.first(), "POST", CATALOGS, "{\"name\":\"tagged\"}");
    admin(instances.first(), "POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"s\",\"catalog_name\":\"tagged\"}");
    admin(instances.first(), "POST", "/api/2.1/unity-catalog/tables", "{\"name\":\"t\",\"catalog_name\":\"tagged\","
        + "\"schema_name\":\"s\",\"table_type\":\"EXTERNAL\",\"data_source_format\":\"DELTA\","
        + "\"storage_location\":\"s3://b/t\",\"columns\":[]}");
    String table = "/api/2.1/unity-catalog/tables/tagged.s.t";
    assertThat(read(instances.second(), table).path("comment").isMissingNode()).isTrue();
    assertThat(read(instances.second(), CATALOGS + "/tagged").get("tags").size()).isZero();
    admin(instances.first(), "PATCH", table, "{\"comment\":\"described\"}");
    admin(instances.first(), "PATCH", "/api/2.1/unity-catalog/tags/catalog/tagged", "{\"set\":{\"team\":\"search\"}}");
    assertThat(read(instances.second(), table).get("comment").asText()).isEqualTo("described");
    assertThat(read(instances.second(), CATALOGS + "/tagged").get("tags").get("team").asText()).isEqualTo("search");
  }

  @Test
  void anAliasMovedElsewhereRoutesTheNextCall() throws Exception {
    TestServer first = instances.first();
    admin(first, "POST", CATALOGS, "{\"name\":\"ai\"}");
    admin(first, "POST", "/api/2.1/unity-catalog/schemas", "{\"name\":\"llm\",\"catalog_name\":\"ai\"}");
    for (int tokens : new int[] {5, 7}) {
      admin(first, "POST", "/api/2.1/unity-catalog/connections", "{\"name\":\"mock" + tokens
          + "\",\"connection_type\":\"MOCK\",\"options\":{\"completion_tokens\":\"" + tokens + "\"}}");
    }
    admin(first, "POST", "/api/2.1/unity-catalog/models", "{\"name\":\"bot\",\"catalog_name\":\"ai\",\"schema_name\":\"llm\"}");
    for (int version = 1; version <= 2; version++) {
      admin(first, "POST", "/api/2.1/unity-catalog/models/versions", "{\"catalog_name\":\"ai\",\"schema_name\":\"llm\","
          + "\"model_name\":\"bot\",\"source\":\"test://bot\",\"serving\":{\"connection_name\":\"mock"
          + (version == 1 ? 5 : 7) + "\",\"upstream_model\":\"m\",\"task\":\"chat\"}}");
      admin(first, "PATCH", "/api/2.1/unity-catalog/models/ai.llm.bot/versions/" + version + "/finalize",
          "{\"full_name\":\"ai.llm.bot\",\"version\":" + version + "}");
    }
    admin(first, "PUT", "/api/2.1/unity-catalog/models/ai.llm.bot/aliases/champion", "{\"version_num\":1}");
    assertThat(completionTokens(instances.second())).isEqualTo(5);
    admin(first, "PUT", "/api/2.1/unity-catalog/models/ai.llm.bot/aliases/champion", "{\"version_num\":2}");
    assertThat(completionTokens(instances.second())).isEqualTo(7);
  }

  private static int completionTokens(TestServer server) throws Exception {
    var answer = server.call("POST", "/v1/chat/completions",
        "{\"model\":\"ai.llm.bot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", TestServer.ADMIN_KEY);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).get("usage").get("completion_tokens").asInt();
  }

  private static JsonNode read(TestServer server, String path) throws Exception {
    var response = server.call("GET", path, null, TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static void admin(TestServer server, String method, String path, String body) {
    var response = server.call(method, path, body, TestServer.ADMIN_KEY);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
  }
}
