package dev.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
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

/**
 * What a caller sees without a blanket right on the container: an object alone, and the children a
 * listing shows, one reason per child: owning it, a grant on it, a grant inside it (through catalog_id or schema_id), owning a child
 * of it, directly or through a group; and never a child that only someone else has rights in.
 * Each listing is read two rows a page, so the pages must come out full.
 */
class VisibleChildrenTest {
  private static Jdbi jdbi;
  private static AccessControl access;
  private static Caller erin;
  private static String erinId;
  private static String otherId;

  @BeforeAll
  static void seed() {
    jdbi = TestDatabases.migrated();
    access = new AccessControl(jdbi);
    erinId = principal(PrincipalType.USER, "erin");
    otherId = principal(PrincipalType.USER, "frank");
    String team = principal(PrincipalType.GROUP, "team");
    erin = new Caller(erinId, "erin", PrincipalType.USER, "key", Set.of(team), Set.of("team"), false);
  }

  @Test
  void catalogsAreListedForWhatLiesInsideThem() {
    SecurableRow grantOnSchema = catalog("c_grant_on_schema", "admin");
    grant(schema(grantOnSchema, "s", "admin"), erinId, Privilege.USE_SCHEMA);
    SecurableRow grantOnTable = catalog("c_grant_on_table", "admin");
    grant(table(schema(grantOnTable, "s", "admin"), "t", "admin"), erinId, Privilege.SELECT);
    schema(catalog("c_owns_schema", "admin"), "s", "erin");
    schema(catalog("c_team_owns_schema", "admin"), "s", "team");
    grant(catalog("c_grant_on_it", "admin"), erinId, Privilege.USE_CATALOG);
    catalog("c_owned", "erin");
    SecurableRow othersOnly = catalog("c_others_only", "admin");
    grant(table(schema(othersOnly, "s", "frank"), "t", "frank"), otherId, Privilege.SELECT);
    catalog("c_nothing", "admin");

    // The other tests' catalogs are listed too (erin may use them); only this test's ones are asserted.
    assertThat(listAll(metastore(), SecurableType.CATALOG)).filteredOn(n -> n.startsWith("c_"))
        .containsExactly("c_grant_on_it", "c_grant_on_schema",
        "c_grant_on_table", "c_owned", "c_owns_schema", "c_team_owns_schema");
  }

  @Test
  void schemasAreListedForWhatLiesInsideThem() {
    SecurableRow catalog = catalog("schemas_in", "admin");
    grant(catalog, erinId, Privilege.USE_CATALOG);
    grant(table(schema(catalog, "s_grant_inside", "admin"), "t", "admin"), erinId, Privilege.MODIFY);
    table(schema(catalog, "s_owns_table", "admin"), "t", "erin");
    table(schema(catalog, "s_team_owns_table", "admin"), "t", "team");
    grant(schema(catalog, "s_team_grant_on_it", "admin"), teamId(), Privilege.USE_SCHEMA);
    grant(table(schema(catalog, "s_others_only", "admin"), "t", "frank"), otherId, Privilege.SELECT);
    schema(catalog, "s_nothing", "admin");

    assertThat(listAll(catalog, SecurableType.SCHEMA)).containsExactly("s_grant_inside", "s_owns_table",
        "s_team_grant_on_it", "s_team_owns_table");
  }

  @Test
  void tablesAreListedForGrantsOnThemAndOwnership() {
    SecurableRow catalog = catalog("tables_in", "admin");
    grant(catalog, erinId, Privilege.USE_CATALOG);
    SecurableRow schema = schema(catalog, "s", "admin");
    grant(schema, erinId, Privilege.USE_SCHEMA);
    grant(table(schema, "t1_select", "admin"), erinId, Privilege.SELECT);
    table(schema, "t2_others_only", "frank");
    grant(table(schema, "t3_team_apply_tag", "admin"), teamId(), Privilege.APPLY_TAG);
    table(schema, "t4_owned", "erin");
    grant(table(schema, "t5_others_select", "admin"), otherId, Privilege.SELECT);
    table(schema, "t6_team_owned", "team");
    table(schema, "t7_nothing", "admin");

    assertThat(listAll(schema, SecurableType.TABLE)).containsExactly("t1_select", "t3_team_apply_tag", "t4_owned",
        "t6_team_owned");
  }

  @Test
  void aSingleObjectIsVisibleForWhatLiesInsideItAndALeafOnlyForItself() {
    SecurableRow grantInside = catalog("v_grant_inside", "admin");
    SecurableRow tableInside = table(schema(grantInside, "s", "admin"), "t", "admin");
    grant(tableInside, erinId, Privilege.SELECT);
    SecurableRow ownsGrandchild = catalog("v_owns_grandchild", "admin");
    SecurableRow schema = schema(ownsGrandchild, "s", "admin");
    table(schema, "t", "team");
    SecurableRow othersOnly = catalog("v_others_only", "admin");
    SecurableRow othersTable = table(schema(othersOnly, "s", "admin"), "t", "frank");
    grant(othersTable, otherId, Privilege.SELECT);
    SecurableRow empty = catalog("v_empty", "admin");

    assertThat(access.isVisible(erin, grantInside)).isTrue();
    assertThat(access.isVisible(erin, tableInside)).isTrue();
    assertThat(access.isVisible(erin, ownsGrandchild)).isTrue();
    assertThat(access.isVisible(erin, schema)).isTrue();
    assertThat(access.isVisible(erin, othersOnly)).isFalse();
    assertThat(access.isVisible(erin, othersTable)).isFalse();
    assertThat(access.isVisible(erin, empty)).isFalse();
  }

  private static List<String> listAll(SecurableRow parent, SecurableType type) {
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      Page<SecurableRow> page = access.listChildren(erin, parent, type, PageRequest.of(2, token));
      token = page.nextPageToken();
      if (token != null) {
        assertThat(page.items()).hasSize(2);
      }
      page.items().forEach(r -> names.add(r.name()));
    } while (token != null);
    return names;
  }

  private static String teamId() {
    return erin.groupIds().iterator().next();
  }

  private static SecurableRow metastore() {
    return jdbi.withHandle(h -> h.attach(SecurableDao.class).findById(SecurableRow.METASTORE_ID)).orElseThrow();
  }

  private static SecurableRow catalog(String name, String owner) {
    return securable(SecurableType.CATALOG, metastore(), name, owner);
  }

  private static SecurableRow schema(SecurableRow catalog, String name, String owner) {
    return securable(SecurableType.SCHEMA, catalog, name, owner);
  }

  private static SecurableRow table(SecurableRow schema, String name, String owner) {
    return securable(SecurableType.TABLE, schema, name, owner);
  }

  private static SecurableRow securable(SecurableType type, SecurableRow parent, String name, String owner) {
    String fullName = parent.securableType() == SecurableType.METASTORE ? name : parent.fullName() + "." + name;
    SecurableRow row = new SecurableRow(UUID.randomUUID().toString(), type, parent.id(), name, fullName, owner,
        null, null, null, null, 1L, owner, 1L, owner);
    jdbi.useHandle(h -> h.attach(SecurableDao.class).insert(row));
    return row;
  }

  /** As GrantService writes it: catalog_id and schema_id name the catalog and schema it lies in. */
  private static void grant(SecurableRow row, String principalId, Privilege privilege) {
    jdbi.useHandle(h -> {
      GrantDao grants = h.attach(GrantDao.class);
      List<ChainLink> chain = grants.chainWithGrants(row.id(), List.of(""));
      grants.grant(row.id(), principalId, privilege.name(), idOf(chain, SecurableType.CATALOG),
          idOf(chain, SecurableType.SCHEMA), 1L, "admin");
    });
  }

  private static String idOf(List<ChainLink> chain, SecurableType type) {
    return chain.stream().filter(l -> l.securableType() == type).map(ChainLink::id).findFirst().orElse(null);
  }

  private static String principal(PrincipalType type, String name) {
    String id = UUID.randomUUID().toString();
    jdbi.useHandle(h -> h.attach(PrincipalDao.class)
        .insert(new PrincipalRow(id, type, name, name, null, null, null, true, 1L, 1L)));
    return id;
  }
}
