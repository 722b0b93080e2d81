package dev.gatehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import dev.gatehouse.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ranking, paging and visibility of search, on a migrated database of the kind under test. */
class SearchServiceTest {
  /** SQL search; {@link SearchServiceInMemoryTest} runs every case again over the in-memory index. */
  boolean inMemory() {
    return false;
  }

  static final Caller CALLER = new Caller("p1", "someone", PrincipalType.USER, "k1", Set.of(), Set.of(), false);
  static Jdbi jdbi;

  @BeforeAll
  static void seed() {
    jdbi = TestDatabases.migrated();
    String catalog = insert(SecurableType.CATALOG, SecurableRow.METASTORE_ID, "shop", "shop", null);
    String s = insert(SecurableType.SCHEMA, catalog, "s", "shop.s", null);
    String z = insert(SecurableType.SCHEMA, catalog, "z", "shop.z", "orders of the past");
    insert(SecurableType.TABLE, z, "orders", "shop.z.orders", null);
    insert(SecurableType.TABLE, s, "orders", "shop.s.orders", null);
    insert(SecurableType.VOLUME, s, "orders", "shop.s.orders", null);
    insert(SecurableType.TABLE, s, "orders_2026", "shop.s.orders_2026", null);
    insert(SecurableType.TABLE, s, "ordersx2026", "shop.s.ordersx2026", null);
    insert(SecurableType.TABLE, s, "old_orders", "shop.s.old_orders", null);
    insert(SecurableType.TABLE, s, "customers", "shop.s.customers", "Every customer and their ORDERS");
    insert(SecurableType.TABLE, s, "unrelated", "shop.s.unrelated", "nothing to see");
    String tagged = insert(SecurableType.FUNCTION, s, "tagged_fn", "shop.s.tagged_fn", null);
    jdbi.useHandle(h -> h.attach(TagDao.class).insert(tagged, List.of("pii", "tier"), List.of("true", "gold")));
  }

  static String insert(SecurableType type, String parent, String name, String fullName, String comment) {
    String id = UUID.randomUUID().toString();
    jdbi.useHandle(h -> h.attach(SecurableDao.class).insert(new SecurableRow(id, type, parent, name, fullName,
        "owner", comment, null, null, null, 1L, "owner", 1L, "owner")));
    return id;
  }

  SearchService everythingVisible() {
    return new SearchService(jdbi, (caller, row) -> true, inMemory());
  }

  static List<String> all(SearchService search, String q, String type, String tag, int pageSize) {
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      Page<SearchService.Result> page = search.search(CALLER, q, type, tag, PageRequest.of(pageSize, token));
      assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
      if (page.nextPageToken() != null) {
        assertThat(page.items()).as("pages before the last are full").hasSize(pageSize);
      }
      page.items().forEach(r -> seen.add(r.row().securableType().wireName() + ":" + r.row().fullName() + ":"
          + (r.match() == null ? "-" : r.match().name().toLowerCase())));
      token = page.nextPageToken();
    } while (token != null);
    return seen;
  }

  @Test
  void exactThenPrefixThenSubstringThenComment() {
    assertThat(all(everythingVisible(), " ORDERS ", null, null, 100)).containsExactly(
        "table:shop.s.orders:exact",
        "volume:shop.s.orders:exact",
        "table:shop.z.orders:exact",
        "table:shop.s.orders_2026:prefix",
        "table:shop.s.ordersx2026:prefix",
        "table:shop.s.old_orders:substring",
        "table:shop.s.customers:comment",
        "schema:shop.z:comment");
  }

  @Test
  void pagesCrossRankBoundariesWithoutLossOrRepeats() {
    List<String> whole = all(everythingVisible(), "orders", null, null, 100);
    for (int size = 1; size <= 4; size++) {
      assertThat(all(everythingVisible(), "orders", null, null, size)).isEqualTo(whole);
    }
  }

  @Test
  void underscoreAndPercentAreLiteral() {
    assertThat(all(everythingVisible(), "s_2", null, null, 10)).containsExactly("table:shop.s.orders_2026:substring");
    assertThat(all(everythingVisible(), "%", null, null, 10)).isEmpty();
  }

  @Test
  void typeAndTagFilters() {
    assertThat(all(everythingVisible(), "orders", "volume", null, 10)).containsExactly("volume:shop.s.orders:exact");
    assertThat(all(everythingVisible(), null, null, "pii", 10)).containsExactly("function:shop.s.tagged_fn:-");
    assertThat(all(everythingVisible(), null, null, "tier:gold", 10)).containsExactly("function:shop.s.tagged_fn:-");
    assertThat(all(everythingVisible(), null, null, "tier:silver", 10)).isEmpty();
    assertThat(all(everythingVisible(), null, "catalog", null, 10)).containsExactly("catalog:shop:-");
    assertThatThrownBy(() -> all(everythingVisible(), null, "metastore", null, 10)).isInstanceOf(GatehouseException.class);
    assertThatThrownBy(() -> all(everythingVisible(), null, "nonsense", null, 10)).isInstanceOf(GatehouseException.class);
    assertThatThrownBy(() -> all(everythingVisible(), null, null, ":gold", 10)).isInstanceOf(GatehouseException.class)
        .satisfies(e -> assertThat(((GatehouseException) e).code().status()).isEqualTo(400));
  }

  @Test
  void onlyVisibleResultsAndPagesStayFull() {
    SearchService search = new SearchService(jdbi, (caller, row) -> !row.fullName().startsWith("shop.s.o"), inMemory());
    List<String> visible = all(search, "orders", null, null, 2);
    assertThat(visible).containsExactly(
        "table:shop.z.orders:exact",
        "table:shop.s.customers:comment",
        "schema:shop.z:comment");
    // one visible match among many invisible ones is still found on the first page
    SearchService sparse = new SearchService(jdbi, (caller, row) -> row.fullName().equals("shop.z"), inMemory());
    assertThat(sparse.search(CALLER, "", null, null, PageRequest.of(1, null)).items())
        .extracting(r -> r.row().fullName()).containsExactly("shop.z");
  }

  @Test
  void tokensThatWereNotIssuedAreRejected() {
    for (String token : List.of("bm9uc2Vuc2U", PageRequest.token("9\nTABLE\nx"), PageRequest.token("1\nNOPE\nx"),
        PageRequest.token("x\nTABLE\nx"))) {
      assertThatThrownBy(() -> everythingVisible().search(CALLER, "orders", null, null, PageRequest.of(10, token)))
          .isInstanceOf(GatehouseException.class);
    }
    assertThatThrownBy(() -> everythingVisible().search(CALLER, "x".repeat(256), null, null, PageRequest.of(10, null)))
        .isInstanceOf(GatehouseException.class);
  }
}
