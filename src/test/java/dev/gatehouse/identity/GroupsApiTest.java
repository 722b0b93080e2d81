package dev.gatehouse.identity;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static dev.gatehouse.testing.Scim.members;
import static dev.gatehouse.testing.Scim.op;
import static dev.gatehouse.testing.Scim.patch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.ApiException;
import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.GroupsApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.ScimGroup;
import dev.gatehouse.client.model.ScimGroupRef;
import dev.gatehouse.client.model.ScimMember;
import dev.gatehouse.client.model.ScimUser;
import dev.gatehouse.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Groups and membership through the generated client; nesting is observed through admin rights. */
class GroupsApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final GroupsApi groups = new GroupsApi(server.admin());
  private final UsersApi users = new UsersApi(server.admin());

  @Test
  void createWithMembersGetListAndDelete() throws Exception {
    ScimUser ann = users.createUser(new ScimUser().userName("ann"));
    var response = groups.createGroupWithHttpInfo(new ScimGroup().displayName("Analysts")
        .members(List.of(new ScimMember().value(ann.getId()))));
    assertThat(response.getStatusCode()).isEqualTo(201);
    ScimGroup analysts = response.getData();
    assertThat(analysts.getDisplayName()).isEqualTo("Analysts");
    assertThat(analysts.getMeta().getResourceType()).isEqualTo("Group");
    assertThat(analysts.getMembers()).singleElement().satisfies(m -> {
      assertThat(m.getValue()).isEqualTo(ann.getId());
      assertThat(m.getDisplay()).isEqualTo("ann");
      assertThat(m.getType()).isEqualTo("User");
    });

    assertThat(groups.getGroup(analysts.getId()).getMembers()).extracting(ScimMember::getValue)
        .containsExactly(ann.getId());
    assertThat(groups.listGroups("displayName eq \"ANALYSTS\"", null, null).getResources())
        .extracting(ScimGroup::getId).containsExactly(analysts.getId());
    assertThat(users.getUser(ann.getId()).getGroups()).extracting(ScimGroupRef::getDisplay).containsExactly("Analysts");
    assertApiError(() -> groups.listGroups("userName eq \"ann\"", null, null), 400, "INVALID_ARGUMENT");

    groups.deleteGroup(analysts.getId());
    assertApiError(() -> groups.getGroup(analysts.getId()), 404, "NOT_FOUND");
    assertThat(users.getUser(ann.getId()).getGroups()).isEmpty();
  }

  @Test
  void duplicatesAndUnknownMembersAreRejected() throws Exception {
    groups.createGroup(new ScimGroup().displayName("dupes"));
    assertApiError(() -> groups.createGroup(new ScimGroup().displayName("DUPES")), 409, "ALREADY_EXISTS");
    assertApiError(() -> groups.createGroup(new ScimGroup().displayName("ghosts")
        .members(List.of(new ScimMember().value("no-such-id")))), 400, "INVALID_ARGUMENT");
    assertApiError(() -> groups.createGroup(new ScimGroup().displayName("blank")
        .members(List.of(new ScimMember().display("no value")))), 400, "INVALID_ARGUMENT");
    assertThat(groups.listGroups("displayName eq \"ghosts\"", null, null).getTotalResults())
        .as("a rejected create leaves nothing behind").isZero();
  }

  @Test
  void patchAddsRemovesAndReplacesMembers() throws Exception {
    String a = users.createUser(new ScimUser().userName("member_a")).getId();
    String b = users.createUser(new ScimUser().userName("member_b")).getId();
    String c = users.createUser(new ScimUser().userName("member_c")).getId();
    String id = groups.createGroup(new ScimGroup().displayName("crew")).getId();

    assertThat(memberIds(groups.patchGroup(id, patch("add", "members", members(a, b))))).containsExactlyInAnyOrder(a, b);
    assertThat(memberIds(groups.patchGroup(id, patch("add", "members", members(a)))))
        .as("adding twice keeps one").containsExactlyInAnyOrder(a, b);
    assertThat(memberIds(groups.patchGroup(id, patch("remove", "members[value eq \"" + a + "\"]", null))))
        .containsExactly(b);
    assertThat(memberIds(groups.patchGroup(id, patch("remove", "members", members(b))))).isEmpty();
    groups.patchGroup(id, patch("add", null, Map.of("members", members(a, b))));
    assertThat(memberIds(groups.patchGroup(id, patch("replace", "members", members(c))))).containsExactly(c);
    assertThat(memberIds(groups.getGroup(id))).containsExactly(c);

    assertApiError(() -> groups.patchGroup(id, patch("add", "members", members("no-such-id"))), 400, "INVALID_ARGUMENT");
    assertApiError(() -> groups.patchGroup(id, patch("shuffle", "members", members(a))), 400, "INVALID_ARGUMENT");
    assertThat(memberIds(groups.getGroup(id))).as("a failed PATCH changes nothing").containsExactly(c);
  }

  @Test
  void aPatchIsAllOrNothing() throws Exception {
    String a = users.createUser(new ScimUser().userName("atomic_a")).getId();
    String id = groups.createGroup(new ScimGroup().displayName("atomic")).getId();
    var request = patch(op("add", "members", members(a)), op("add", "members", members("no-such-id")));
    assertApiError(() -> groups.patchGroup(id, request), 400, "INVALID_ARGUMENT");
    assertThat(memberIds(groups.getGroup(id))).isEmpty();
  }

  @Test
  void membershipThroughThreeNestedGroupsMakesAnAdmin() throws Exception {
    String key = server.userWithKey("nested.user");
    CatalogsApi asUser = new CatalogsApi(server.client(key));
    assertApiError(() -> asUser.createCatalog(new CreateCatalog().name("nested_try")), 403, "PERMISSION_DENIED");

    String userId = users.listUsers("userName eq \"nested.user\"", null, null).getResources().get(0).getId();
    String team = groups.createGroup(new ScimGroup().displayName("team")
        .members(List.of(new ScimMember().value(userId)))).getId();
    String department = groups.createGroup(new ScimGroup().displayName("department")
        .members(List.of(new ScimMember().value(team)))).getId();
    String division = groups.createGroup(new ScimGroup().displayName("division")).getId();
    groups.patchGroup(division, patch("add", "members", members(department)));
    String admins = adminsGroupId();
    groups.patchGroup(admins, patch("add", "members", members(division)));

    assertThat(asUser.createCatalog(new CreateCatalog().name("nested_ok")).getOwner()).isEqualTo("nested.user");

    groups.patchGroup(admins, patch("remove", "members[value eq \"" + division + "\"]", null));
    assertApiError(() -> asUser.createCatalog(new CreateCatalog().name("nested_again")), 403, "PERMISSION_DENIED");
  }

  @Test
  void cyclesAreRefused() throws Exception {
    String inner = groups.createGroup(new ScimGroup().displayName("inner")).getId();
    String outer = groups.createGroup(new ScimGroup().displayName("outer")
        .members(List.of(new ScimMember().value(inner)))).getId();
    assertApiError(() -> groups.patchGroup(inner, patch("add", "members", members(outer))), 409, "FAILED_PRECONDITION");
    assertApiError(() -> groups.patchGroup(inner, patch("add", "members", members(inner))), 409, "FAILED_PRECONDITION");
  }

  @Test
  void builtInGroupsStay() throws Exception {
    String admins = adminsGroupId();
    assertApiError(() -> groups.deleteGroup(admins), 409, "FAILED_PRECONDITION");
    assertApiError(() -> groups.patchGroup(admins, patch("replace", "displayName", "owners")), 409,
        "FAILED_PRECONDITION");
    assertThat(groups.getGroup(admins).getDisplayName()).isEqualTo("admins");
  }

  @Test
  void renamingAGroupKeepsNamesUnique() throws Exception {
    String id = groups.createGroup(new ScimGroup().displayName("before")).getId();
    groups.createGroup(new ScimGroup().displayName("taken"));
    assertThat(groups.patchGroup(id, patch("replace", "displayName", "after")).getDisplayName()).isEqualTo("after");
    assertApiError(() -> groups.patchGroup(id, patch("replace", "displayName", "Taken")), 409, "ALREADY_EXISTS");
    assertApiError(() -> groups.patchGroup(id, patch("replace", "active", false)), 400, "INVALID_ARGUMENT");
  }

  @Test
  void nonAdminsReadButDoNotChangeGroups() throws Exception {
    String id = groups.createGroup(new ScimGroup().displayName("readable")).getId();
    GroupsApi asUser = new GroupsApi(server.client(server.userWithKey("group.reader")));
    assertThat(asUser.getGroup(id).getDisplayName()).isEqualTo("readable");
    assertApiError(() -> asUser.patchGroup(id, patch("add", "members", members(id))), 403, "PERMISSION_DENIED");
    assertApiError(() -> asUser.deleteGroup(id), 403, "PERMISSION_DENIED");
  }

  private String adminsGroupId() throws ApiException {
    return groups.listGroups("displayName eq \"admins\"", null, null).getResources().get(0).getId();
  }

  private static List<String> memberIds(ScimGroup group) {
    return group.getMembers().stream().map(ScimMember::getValue).toList();
  }
}
