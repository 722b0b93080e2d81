package dev.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableLookup;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import dev.gatehouse.testing.TestDatabases;
import java.util.Set;
import org.apache.shiro.subject.SimplePrincipalCollection;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Shiro authorizer over a migrated database: permission strings decided by the grant rules. */
class GrantAuthorizerTest {
  private static Jdbi jdbi;
  private static GrantAuthorizer authorizer;
  private static Caller ann;
  private static Caller teamMember;

  @BeforeAll
  static void fixture() {
    jdbi = TestDatabases.migrated();
    AccessControl access = new AccessControl(jdbi);
    authorizer = new GrantAuthorizer(access, new SecurableLookup(jdbi));
    PrincipalRow annRow = principal("ann", PrincipalType.USER);
    PrincipalRow team = principal("Team", PrincipalType.GROUP);
    PrincipalRow member = principal("member", PrincipalType.USER);
    SecurableRow catalog = securable(SecurableType.CATALOG, SecurableRow.METASTORE_ID, "c", "c", "admin");
    SecurableRow schema = securable(SecurableType.SCHEMA, catalog.id(), "s", "c.s", "admin");
    jdbi.useHandle(h -> {
      GrantDao grants = h.attach(GrantDao.class);
      grants.grant(catalog.id(), annRow.id(), "USE_CATALOG", catalog.id(), null, 1, "admin");
      grants.grant(schema.id(), team.id(), "USE_SCHEMA", catalog.id(), schema.id(), 1, "admin");
      grants.grant(catalog.id(), team.id(), "USE_CATALOG", catalog.id(), null, 1, "admin");
      grants.grant(catalog.id(), team.id(), "CREATE_TABLE", catalog.id(), null, 1, "admin");
    });
    ann = new Caller(annRow.id(), "ann", PrincipalType.USER, "k1", Set.of(), Set.of(), false);
    teamMember = new Caller(member.id(), "member", PrincipalType.USER, "k2", Set.of(team.id()), Set.of("Team"), false);
  }

  @Test
  void permissionStringsFollowGrants() {
    assertThat(permitted(ann, "USE_CATALOG:catalog:c")).isTrue();
    assertThat(permitted(ann, "USE_SCHEMA:schema:c.s")).isFalse();
    assertThat(permitted(teamMember, "USE_SCHEMA:schema:c.s")).isTrue();
    // CREATE_TABLE granted on the catalog applies to the schema in it
    assertThat(permitted(teamMember, "CREATE_TABLE:schema:C.S")).isTrue();
    assertThat(permitted(ann, "CREATE_TABLE:schema:c.s")).isFalse();
  }

  @Test
  void malformedOrUnknownPermissionsAreDenied() {
    assertThat(permitted(ann, "use_catalog")).isFalse();
    assertThat(permitted(ann, "FLY:catalog:c")).isFalse();
    assertThat(permitted(ann, "USE_CATALOG:catalog:missing")).isFalse();
    assertThat(permitted(ann, "USE_CATALOG:planet:c")).isFalse();
  }

  @Test
  void rolesAreGroupNames() {
    assertThat(authorizer.hasRole(new SimplePrincipalCollection(teamMember, "api-keys"), "Team")).isTrue();
    assertThat(authorizer.hasRole(new SimplePrincipalCollection(ann, "api-keys"), "admins")).isFalse();
  }

  private static boolean permitted(Caller caller, String permission) {
    return authorizer.isPermitted(new SimplePrincipalCollection(caller, "api-keys"), permission);
  }

  private static PrincipalRow principal(String name, PrincipalType type) {
    PrincipalRow row = new PrincipalRow(java.util.UUID.randomUUID().toString(), type, name, name, null, null, null,
        true, 1, 1);
    jdbi.useHandle(h -> h.attach(PrincipalDao.class).insert(row));
    return row;
  }

  private static SecurableRow securable(SecurableType type, String parent, String name, String fullName, String owner) {
    SecurableRow row = new SecurableRow(java.util.UUID.randomUUID().toString(), type, parent, name, fullName, owner,
        null, null, null, null, 1, owner, 1L, owner);
    jdbi.useHandle(h -> h.attach(SecurableDao.class).insert(row));
    return row;
  }
}
