package dev.gatehouse.identity;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static dev.gatehouse.testing.Scim.patch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.GroupsApi;
import dev.gatehouse.client.api.ServicePrincipalsApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.model.ScimEmail;
import dev.gatehouse.client.model.ScimGroup;
import dev.gatehouse.client.model.ScimServicePrincipal;
import dev.gatehouse.client.model.ScimUser;
import dev.gatehouse.client.model.ScimUserList;
import dev.gatehouse.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Users and service principals through the generated client. */
class UsersApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final UsersApi users = new UsersApi(server.admin());
  private final ServicePrincipalsApi servicePrincipals = new ServicePrincipalsApi(server.admin());

  @Test
  void createGetAndDeleteAUser() throws Exception {
    var response = users.createUserWithHttpInfo(new ScimUser().userName("Alice@Example.com").displayName("Alice Smith")
        .externalId("idp-42").emails(List.of(new ScimEmail().value("alice@example.com").primary(true))));
    assertThat(response.getStatusCode()).isEqualTo(201);
    ScimUser alice = response.getData();
    assertThat(alice.getId()).isNotBlank();
    assertThat(alice.getUserName()).isEqualTo("Alice@Example.com");
    assertThat(alice.getDisplayName()).isEqualTo("Alice Smith");
    assertThat(alice.getExternalId()).isEqualTo("idp-42");
    assertThat(alice.getEmails()).extracting(ScimEmail::getValue).containsExactly("alice@example.com");
    assertThat(alice.getActive()).isTrue();
    assertThat(alice.getSchemas()).containsExactly("urn:ietf:params:scim:schemas:core:2.0:User");
    assertThat(alice.getMeta().getResourceType()).isEqualTo("User");

    ScimUser fetched = users.getUser(alice.getId());
    assertThat(fetched.getUserName()).isEqualTo("Alice@Example.com");
    assertThat(fetched.getEmails()).isEqualTo(alice.getEmails());

    users.deleteUser(alice.getId());
    assertApiError(() -> users.getUser(alice.getId()), 404, "NOT_FOUND");
    assertApiError(() -> users.deleteUser(alice.getId()), 404, "NOT_FOUND");
  }

  @Test
  void filtersByUserNameAndDisplayNameIgnoringCase() throws Exception {
    users.createUser(new ScimUser().userName("filter.one").displayName("Same Display"));
    users.createUser(new ScimUser().userName("filter.two").displayName("same display"));
    users.createUser(new ScimUser().userName("filter.three").displayName("Other"));

    ScimUserList byName = users.listUsers("userName eq \"FILTER.ONE\"", null, null);
    assertThat(byName.getTotalResults()).isEqualTo(1);
    assertThat(byName.getResources()).extracting(ScimUser::getUserName).containsExactly("filter.one");

    ScimUserList byDisplay = users.listUsers("displayName eq \"same DISPLAY\"", null, null);
    assertThat(byDisplay.getResources()).extracting(ScimUser::getUserName)
        .containsExactlyInAnyOrder("filter.one", "filter.two");

    ScimUserList none = users.listUsers("userName eq \"nobody\"", null, null);
    assertThat(none.getTotalResults()).isZero();
    assertThat(none.getResources()).isEmpty();

    assertApiError(() -> users.listUsers("userName sw \"filter\"", null, null), 400, "INVALID_ARGUMENT");
    assertApiError(() -> users.listUsers("emails eq \"x\"", null, null), 400, "INVALID_ARGUMENT");
  }

  @Test
  void listsInPages() throws Exception {
    for (String name : List.of("page_a", "page_b", "page_c")) {
      users.createUser(new ScimUser().userName(name));
    }
    ScimUserList all = users.listUsers(null, null, null);
    assertThat(all.getTotalResults()).isGreaterThanOrEqualTo(4);
    ScimUserList second = users.listUsers(null, 2, 2);
    assertThat(second.getStartIndex()).isEqualTo(2);
    assertThat(second.getItemsPerPage()).isEqualTo(2);
    assertThat(second.getResources()).extracting(ScimUser::getId)
        .containsExactlyElementsOf(all.getResources().subList(1, 3).stream().map(ScimUser::getId).toList());
    assertApiError(() -> users.listUsers(null, 1, -1), 400, "INVALID_ARGUMENT");
  }

  @Test
  void principalNamesAreUniqueIgnoringCaseAcrossKinds() throws Exception {
    users.createUser(new ScimUser().userName("unique.user"));
    assertApiError(() -> users.createUser(new ScimUser().userName("UNIQUE.USER")), 409, "ALREADY_EXISTS");
    assertApiError(() -> servicePrincipals.createServicePrincipal(new ScimServicePrincipal().displayName("unique.user")),
        409, "ALREADY_EXISTS");
    assertApiError(() -> users.createUser(new ScimUser().userName("admins")), 409, "ALREADY_EXISTS");
  }

  @Test
  void invalidUsersAreRejected() {
    for (String bad : new String[] {null, "", "   ", " padded", "x".repeat(256), "tab\there"}) {
      assertApiError(() -> users.createUser(new ScimUser().userName(bad)), 400, "INVALID_ARGUMENT");
    }
  }

  @Test
  void onlyAdminsChangePrincipalsButAnyoneReads() throws Exception {
    String key = server.userWithKey("plain.user");
    UsersApi asUser = new UsersApi(server.client(key));
    ScimUser self = asUser.getSelf();
    assertThat(self.getUserName()).isEqualTo("plain.user");
    assertThat(asUser.listUsers("userName eq \"admin\"", null, null).getTotalResults()).isEqualTo(1);
    assertThat(asUser.getUser(self.getId()).getUserName()).isEqualTo("plain.user");

    assertApiError(() -> asUser.createUser(new ScimUser().userName("sneaky")), 403, "PERMISSION_DENIED");
    assertApiError(() -> asUser.patchUser(self.getId(), patch("replace", "displayName", "Boss")), 403,
        "PERMISSION_DENIED");
    assertApiError(() -> asUser.deleteUser(self.getId()), 403, "PERMISSION_DENIED");
    assertApiError(() -> new ServicePrincipalsApi(server.client(key))
        .createServicePrincipal(new ScimServicePrincipal().displayName("bot")), 403, "PERMISSION_DENIED");
    assertApiError(() -> new GroupsApi(server.client(key)).createGroup(new ScimGroup().displayName("g")), 403,
        "PERMISSION_DENIED");
    assertApiError(() -> new UsersApi(server.client(null)).listUsers(null, null, null), 401, "UNAUTHENTICATED");
  }

  @Test
  void patchChangesDisplayNameEmailAndActive() throws Exception {
    String key = server.userWithKey("patched.user");
    CatalogsApi asUser = new CatalogsApi(server.client(key));
    String id = users.listUsers("userName eq \"patched.user\"", null, null).getResources().get(0).getId();

    ScimUser renamed = users.patchUser(id, patch("replace", "displayName", "Patched"));
    assertThat(renamed.getDisplayName()).isEqualTo("Patched");
    assertThat(renamed.getUserName()).isEqualTo("patched.user");
    ScimUser mailed = users.patchUser(id, patch("replace", "emails", List.of(Map.of("value", "p@example.com"))));
    assertThat(mailed.getEmails()).extracting(ScimEmail::getValue).containsExactly("p@example.com");
    assertThat(mailed.getDisplayName()).isEqualTo("Patched");

    asUser.listCatalogs(null, null);
    ScimUser inactive = users.patchUser(id, patch("replace", null, Map.of("active", false)));
    assertThat(inactive.getActive()).isFalse();
    assertApiError(() -> asUser.listCatalogs(null, null), 401, "UNAUTHENTICATED");
    users.patchUser(id, patch("replace", "active", true));
    assertThat(asUser.listCatalogs(null, null).getCatalogs()).isNotNull();

    assertApiError(() -> users.patchUser(id, patch("add", "members", List.of(Map.of("value", id)))), 400,
        "INVALID_ARGUMENT");
    assertApiError(() -> users.patchUser(id, patch("replace", "userName", "x")), 400, "INVALID_ARGUMENT");
    assertApiError(() -> users.patchUser("no-such-id", patch("replace", "displayName", "x")), 404, "NOT_FOUND");
  }

  @Test
  void deletingAUserEndsItsKeys() throws Exception {
    String key = server.userWithKey("leaving.user");
    CatalogsApi asUser = new CatalogsApi(server.client(key));
    asUser.listCatalogs(null, null);
    String id = users.listUsers("userName eq \"leaving.user\"", null, null).getResources().get(0).getId();
    users.deleteUser(id);
    assertApiError(() -> asUser.listCatalogs(null, null), 401, "UNAUTHENTICATED");
  }

  @Test
  void anAdminCannotDeleteItself() throws Exception {
    String adminId = users.getSelf().getId();
    assertApiError(() -> users.deleteUser(adminId), 409, "FAILED_PRECONDITION");
  }

  @Test
  void servicePrincipalsLiveBesideUsers() throws Exception {
    var response = servicePrincipals.createServicePrincipalWithHttpInfo(new ScimServicePrincipal().displayName("etl-bot"));
    assertThat(response.getStatusCode()).isEqualTo(201);
    ScimServicePrincipal bot = response.getData();
    assertThat(bot.getApplicationId()).as("generated when absent").isNotBlank();
    assertThat(bot.getMeta().getResourceType()).isEqualTo("ServicePrincipal");
    ScimServicePrincipal named = servicePrincipals.createServicePrincipal(
        new ScimServicePrincipal().displayName("report-bot").applicationId("app-123"));
    assertThat(named.getApplicationId()).isEqualTo("app-123");

    assertThat(servicePrincipals.getServicePrincipal(bot.getId()).getDisplayName()).isEqualTo("etl-bot");
    assertThat(servicePrincipals.listServicePrincipals("displayName eq \"ETL-BOT\"", null, null).getResources())
        .extracting(ScimServicePrincipal::getId).containsExactly(bot.getId());
    assertThat(servicePrincipals.listServicePrincipals("applicationId eq \"app-123\"", null, null).getResources())
        .extracting(ScimServicePrincipal::getId).containsExactly(named.getId());
    // a service principal is not a user, whatever its id
    assertApiError(() -> users.getUser(bot.getId()), 404, "NOT_FOUND");
    assertThat(users.listUsers("userName eq \"etl-bot\"", null, null).getTotalResults()).isZero();

    ScimServicePrincipal disabled = servicePrincipals.patchServicePrincipal(bot.getId(), patch("replace", "active", false));
    assertThat(disabled.getActive()).isFalse();
    servicePrincipals.deleteServicePrincipal(bot.getId());
    assertApiError(() -> servicePrincipals.getServicePrincipal(bot.getId()), 404, "NOT_FOUND");
  }
}
