package dev.gatehouse.catalog;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.api.SearchApi;
import dev.gatehouse.client.api.TablesApi;
import dev.gatehouse.client.api.TagsApi;
import dev.gatehouse.client.api.VolumesApi;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.SearchMatch;
import dev.gatehouse.client.model.SearchResponse;
import dev.gatehouse.client.model.SearchResult;
import dev.gatehouse.client.model.UpdateTable;
import dev.gatehouse.client.model.UpdateTags;
import dev.gatehouse.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SearchApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final SearchApi search = new SearchApi(server.admin());

  @BeforeAll
  static void seed() throws Exception {
    new CatalogsApi(server.admin()).createCatalog(new CreateCatalog().name("sc").comment("the revenue catalog"));
    new SchemasApi(server.admin()).createSchema(new CreateSchema().catalogName("sc").name("revenue"));
    TablesApi tables = new TablesApi(server.admin());
    tables.createTable(TableApiTest.external("revenue").catalogName("sc").schemaName("revenue"));
    tables.createTable(TableApiTest.external("revenue_daily").catalogName("sc").schemaName("revenue"));
    tables.createTable(TableApiTest.external("net_revenue").catalogName("sc").schemaName("revenue")
        .comment("after refunds"));
    new VolumesApi(server.admin()).createVolume(VolumeApiTest.external("raw").catalogName("sc").schemaName("revenue")
        .comment("Revenue exports"));
    new TagsApi(server.admin()).updateTags("table", "sc.revenue.revenue_daily",
        new UpdateTags().set(Map.of("tier", "gold")));
  }

  @Test
  void rankedResultsWithTagsAndMatchKinds() throws Exception {
    SearchResponse response = search.search("Revenue", null, null, null, null);
    assertThat(response.getResults()).extracting(SearchResult::getFullName, SearchResult::getMatch)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sc.revenue", SearchMatch.EXACT),
            org.assertj.core.groups.Tuple.tuple("sc.revenue.revenue", SearchMatch.EXACT),
            org.assertj.core.groups.Tuple.tuple("sc.revenue.revenue_daily", SearchMatch.PREFIX),
            org.assertj.core.groups.Tuple.tuple("sc.revenue.net_revenue", SearchMatch.SUBSTRING),
            org.assertj.core.groups.Tuple.tuple("sc", SearchMatch.COMMENT),
            org.assertj.core.groups.Tuple.tuple("sc.revenue.raw", SearchMatch.COMMENT));
    SearchResult daily = response.getResults().get(2);
    assertThat(daily.getSecurableType()).isEqualTo("table");
    assertThat(daily.getName()).isEqualTo("revenue_daily");
    assertThat(daily.getOwner()).isEqualTo("admin");
    assertThat(daily.getTags()).isEqualTo(Map.of("tier", "gold"));
    assertThat(response.getNextPageToken()).isNull();
  }

  @Test
  void pagesAndFilters() throws Exception {
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      SearchResponse page = search.search("revenue", null, null, 4, token);
      page.getResults().forEach(r -> seen.add(r.getSecurableType() + ":" + r.getFullName()));
      token = page.getNextPageToken();
    } while (token != null);
    assertThat(seen).hasSize(6).doesNotHaveDuplicates();
    assertThat(search.search("revenue", "volume", null, null, null).getResults())
        .extracting(SearchResult::getFullName).containsExactly("sc.revenue.raw");
    assertThat(search.search(null, null, "tier:gold", null, null).getResults())
        .extracting(SearchResult::getFullName).containsExactly("sc.revenue.revenue_daily");
  }

  /** On H2 search answers from an in-memory index held per change epoch: every change must show at once. */
  @Test
  void searchFollowsEveryChangeAtOnce() throws Exception {
    TablesApi tables = new TablesApi(server.admin());
    assertThat(names(search.search("quasar", null, null, null, null))).isEmpty();
    tables.createTable(TableApiTest.external("quasar_events").catalogName("sc").schemaName("revenue"));
    assertThat(names(search.search("quasar", null, null, null, null))).containsExactly("sc.revenue.quasar_events");
    tables.updateTable("sc.revenue.quasar_events", new UpdateTable().comment("Pulsar feed"));
    assertThat(names(search.search("pulsar", null, null, null, null))).containsExactly("sc.revenue.quasar_events");
    tables.deleteTable("sc.revenue.quasar_events");
    assertThat(names(search.search("quasar", null, null, null, null))).isEmpty();
    assertThat(names(search.search("pulsar", null, null, null, null))).isEmpty();
  }

  private static List<String> names(SearchResponse response) {
    return response.getResults().stream().map(SearchResult::getFullName).toList();
  }

  @Test
  void badRequests() {
    assertApiError(() -> search.search("x", "warehouse", null, null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> search.search("x", null, ":gold", null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> search.search("x".repeat(300), null, null, null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> search.search("x", null, null, -1, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> search.search("x", null, null, null, "garbage!"), 400, "INVALID_ARGUMENT");
  }
}
