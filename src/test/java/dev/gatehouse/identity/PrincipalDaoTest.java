package dev.gatehouse.identity;

import static dev.gatehouse.testing.Rows.principal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.DuplicateKeys;
import dev.gatehouse.testing.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrincipalDaoTest {
  private Jdbi jdbi;
  private PrincipalDao dao;

  @BeforeEach
  void freshDatabase() {
    jdbi = TestDatabases.migrated();
    dao = jdbi.onDemand(PrincipalDao.class);
  }

  @Test
  void insertsAndFindsByIdAndCaseInsensitiveName() {
    PrincipalRow alice = new PrincipalRow("id-alice", PrincipalType.USER, "Alice", "Alice Smith", "a@x.io", null,
        "ext-1", true, 10, 20);
    dao.insert(alice);
    assertThat(dao.findById("id-alice")).contains(alice);
    assertThat(dao.findByNameKey(PrincipalDao.key("ALICE"))).contains(alice);
    assertThat(dao.findById("nobody")).isEmpty();
    assertThat(dao.countAll()).isEqualTo(1);
    assertThat(dao.count(PrincipalType.USER)).isEqualTo(1);
    assertThat(dao.count(PrincipalType.GROUP)).isZero();
  }

  @Test
  void namesAreUniqueAcrossKindsAndCase() {
    dao.insert(principal(PrincipalType.USER, "Ops"));
    DuplicateKeys.assertDuplicateKey(() -> dao.insert(principal(PrincipalType.GROUP, "ops")));
  }

  @Test
  void findsByDisplayNameIgnoringCase() {
    dao.insert(principal(PrincipalType.USER, "bob"));
    dao.insert(principal(PrincipalType.SERVICE_PRINCIPAL, "bot"));
    assertThat(dao.findByTypeAndDisplayName(PrincipalType.USER, "bob display")).extracting(PrincipalRow::name)
        .containsExactly("bob");
    assertThat(dao.findByTypeAndDisplayName(PrincipalType.USER, "bot display")).isEmpty();
  }

  @Test
  void listsOneKindInNameOrderByOffset() {
    for (String name : new String[] {"carol", "Alice", "bob"}) {
      dao.insert(principal(PrincipalType.USER, name));
    }
    dao.insert(principal(PrincipalType.GROUP, "aaa_group"));
    assertThat(dao.list(PrincipalType.USER, 0, 2)).extracting(PrincipalRow::name).containsExactly("Alice", "bob");
    assertThat(dao.list(PrincipalType.USER, 2, 2)).extracting(PrincipalRow::name).containsExactly("carol");
  }

  @Test
  void membershipIsTransitiveThroughThreeNestedLevels() {
    PrincipalRow user = insert(PrincipalType.USER, "dana");
    PrincipalRow team = insert(PrincipalType.GROUP, "team");
    PrincipalRow department = insert(PrincipalType.GROUP, "department");
    PrincipalRow company = insert(PrincipalType.GROUP, "company");
    insert(PrincipalType.GROUP, "unrelated");
    dao.addMember(team.id(), user.id());
    dao.addMember(department.id(), team.id());
    dao.addMember(company.id(), department.id());

    assertThat(dao.transitiveGroups(user.id())).extracting(PrincipalRow::name)
        .containsExactlyInAnyOrder("team", "department", "company");
    assertThat(dao.transitiveGroups(team.id())).extracting(PrincipalRow::name)
        .containsExactlyInAnyOrder("department", "company");
    assertThat(dao.transitiveGroups(company.id())).isEmpty();
    assertThat(dao.directGroups(user.id())).extracting(PrincipalRow::name).containsExactly("team");
  }

  @Test
  void aGroupReachedTwiceIsListedOnce() {
    PrincipalRow user = insert(PrincipalType.USER, "erin");
    PrincipalRow left = insert(PrincipalType.GROUP, "left");
    PrincipalRow right = insert(PrincipalType.GROUP, "right");
    PrincipalRow top = insert(PrincipalType.GROUP, "top");
    dao.addMember(left.id(), user.id());
    dao.addMember(right.id(), user.id());
    dao.addMember(top.id(), left.id());
    dao.addMember(top.id(), right.id());
    assertThat(dao.transitiveGroups(user.id())).extracting(PrincipalRow::name)
        .containsExactlyInAnyOrder("left", "right", "top");
  }

  @Test
  void aStoredCycleStillEnds() {
    // The service refuses cycles; the query must not hang should one reach the table anyway.
    PrincipalRow a = insert(PrincipalType.GROUP, "a");
    PrincipalRow b = insert(PrincipalType.GROUP, "b");
    dao.addMember(a.id(), b.id());
    dao.addMember(b.id(), a.id());
    assertThat(dao.transitiveGroups(a.id())).extracting(PrincipalRow::name).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void addMemberIsIdempotent() {
    PrincipalRow user = insert(PrincipalType.USER, "frank");
    PrincipalRow group = insert(PrincipalType.GROUP, "crew");
    assertThat(dao.addMember(group.id(), user.id())).isEqualTo(1);
    assertThat(dao.addMember(group.id(), user.id())).isZero();
    assertThat(dao.directMembers(group.id())).extracting(PrincipalRow::id).containsExactly(user.id());

    assertThat(dao.removeMember(group.id(), user.id())).isEqualTo(1);
    assertThat(dao.removeMember(group.id(), user.id())).isZero();
    assertThat(dao.directMembers(group.id())).isEmpty();
  }

  @Test
  void deletingAPrincipalDropsItsMemberships() {
    PrincipalRow user = insert(PrincipalType.USER, "gina");
    PrincipalRow group = insert(PrincipalType.GROUP, "squad");
    dao.addMember(group.id(), user.id());
    assertThat(dao.delete(user.id())).isEqualTo(1);
    assertThat(dao.directMembers(group.id())).isEmpty();
    dao.addMember(group.id(), insert(PrincipalType.USER, "hal").id());
    assertThat(dao.removeAllMembers(group.id())).isEqualTo(1);
  }

  private PrincipalRow insert(PrincipalType type, String name) {
    PrincipalRow row = principal(type, name);
    dao.insert(row);
    return row;
  }
}
