package dev.gatehouse.identity;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static dev.gatehouse.testing.ApiAssertions.assertRawError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.ApiKeysApi;
import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.GroupsApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.model.ApiKeyInfo;
import dev.gatehouse.client.model.CreateApiKey;
import dev.gatehouse.client.model.CreatedApiKey;
import dev.gatehouse.client.model.ScimGroup;
import dev.gatehouse.client.model.ScimUser;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API keys through the generated client, and the 401 a bad key gets over raw HTTP. */
class ApiKeysApiTest {
  private static final String CATALOGS = "/api/2.1/unity-catalog/catalogs";

  @RegisterExtension
  static final TestServer server = new TestServer();

  private final ApiKeysApi keys = new ApiKeysApi(server.admin());

  @Test
  void theSecretIsShownOnceAndAuthenticates() throws Exception {
    CreatedApiKey created = keys.createApiKey(new CreateApiKey().name("laptop"));
    assertThat(created.getKey()).startsWith("ghk_").startsWith(created.getPrefix());
    assertThat(created.getPrefix()).hasSize(12);
    assertThat(created.getPrincipal()).isEqualTo("admin");
    assertThat(created.getCreatedBy()).isEqualTo("admin");
    assertThat(created.getName()).isEqualTo("laptop");

    assertThat(new UsersApi(server.client(created.getKey())).getSelf().getUserName()).isEqualTo("admin");

    String listed = server.send(server.adminRequest("/api/1.0/gatehouse/api-keys?max_results=1000")).body();
    String fetched = server.send(server.adminRequest("/api/1.0/gatehouse/api-keys/" + created.getId())).body();
    assertThat(listed).contains(created.getId()).doesNotContain(created.getKey()).doesNotContain("\"key\"");
    assertThat(fetched).contains(created.getPrefix()).doesNotContain(created.getKey()).doesNotContain("\"key\"");
  }

  @Test
  void anAdminGivesAUserItsFirstKey() throws Exception {
    new UsersApi(server.admin()).createUser(new ScimUser().userName("newcomer"));
    CreatedApiKey key = keys.createApiKey(new CreateApiKey().name("welcome").principal("NEWCOMER"));
    assertThat(key.getPrincipal()).isEqualTo("newcomer");
    assertThat(new UsersApi(server.client(key.getKey())).getSelf().getUserName()).isEqualTo("newcomer");
    assertThat(keys.listApiKeys("newcomer", null, null).getApiKeys()).extracting(ApiKeyInfo::getId)
        .containsExactly(key.getId());

    assertApiError(() -> keys.createApiKey(new CreateApiKey().name("x").principal("nobody")), 404, "NOT_FOUND");
    String group = new GroupsApi(server.admin()).createGroup(new ScimGroup().displayName("keyless")).getDisplayName();
    assertApiError(() -> keys.createApiKey(new CreateApiKey().name("x").principal(group)), 400, "INVALID_ARGUMENT");
  }

  @Test
  void onlyAdminsManageOtherPrincipalsKeys() throws Exception {
    ApiKeysApi asUser = new ApiKeysApi(server.client(server.userWithKey("key.user")));
    String adminKeyId = keys.createApiKey(new CreateApiKey().name("admins-own")).getId();

    CreatedApiKey own = asUser.createApiKey(new CreateApiKey().name("second").principal("key.user"));
    assertThat(own.getPrincipal()).isEqualTo("key.user");
    assertThat(asUser.listApiKeys(null, null, null).getApiKeys()).extracting(ApiKeyInfo::getPrincipal)
        .containsOnly("key.user").hasSize(2);

    assertApiError(() -> asUser.createApiKey(new CreateApiKey().name("x").principal("admin")), 403, "PERMISSION_DENIED");
    assertApiError(() -> asUser.listApiKeys("admin", null, null), 403, "PERMISSION_DENIED");
    // another principal's key is answered as missing, not as forbidden
    assertApiError(() -> asUser.getApiKey(adminKeyId), 404, "NOT_FOUND");
    assertApiError(() -> asUser.revokeApiKey(adminKeyId), 404, "NOT_FOUND");
    assertThat(keys.getApiKey(adminKeyId).getRevokedAt()).isNull();
  }

  @Test
  void revokedKeysStopWorkingAtOnce() throws Exception {
    CreatedApiKey created = keys.createApiKey(new CreateApiKey().name("short-lived"));
    CatalogsApi withKey = new CatalogsApi(server.client(created.getKey()));
    withKey.listCatalogs(null, null);

    ApiKeyInfo revoked = keys.revokeApiKey(created.getId());
    assertThat(revoked.getRevokedAt()).isNotNull();
    assertThat(keys.getApiKey(created.getId()).getRevokedAt()).isEqualTo(revoked.getRevokedAt());
    assertApiError(() -> withKey.listCatalogs(null, null), 401, "UNAUTHENTICATED");
    assertApiError(() -> keys.getApiKey("no-such-key"), 404, "NOT_FOUND");
  }

  @Test
  void aUserMayRevokeItsOwnKey() throws Exception {
    String key = server.userWithKey("self.revoker");
    ApiKeysApi asUser = new ApiKeysApi(server.client(key));
    String id = asUser.listApiKeys(null, null, null).getApiKeys().get(0).getId();
    asUser.revokeApiKey(id);
    assertApiError(() -> asUser.listApiKeys(null, null, null), 401, "UNAUTHENTICATED");
  }

  @Test
  void lastUseIsRecorded() throws Exception {
    CreatedApiKey created = keys.createApiKey(new CreateApiKey().name("tracked"));
    assertThat(keys.getApiKey(created.getId()).getLastUsedAt()).isNull();
    new CatalogsApi(server.client(created.getKey())).listCatalogs(null, null);
    Long lastUsed = keys.getApiKey(created.getId()).getLastUsedAt();
    assertThat(lastUsed).isNotNull().isGreaterThanOrEqualTo(created.getCreatedAt());
  }

  @Test
  void expiryMustBeInTheFuture() throws Exception {
    long inAnHour = System.currentTimeMillis() + 3_600_000;
    CreatedApiKey later = keys.createApiKey(new CreateApiKey().name("expiring").expiresAt(inAnHour));
    assertThat(later.getExpiresAt()).isEqualTo(inAnHour);
    assertThat(new UsersApi(server.client(later.getKey())).getSelf().getUserName()).isEqualTo("admin");
    assertApiError(() -> keys.createApiKey(new CreateApiKey().name("past").expiresAt(1L)), 400, "INVALID_ARGUMENT");
    assertApiError(() -> keys.createApiKey(new CreateApiKey().name(" ")), 400, "INVALID_ARGUMENT");
  }

  @Test
  void everyBadKeyGetsTheSame401() throws Exception {
    // revoked
    CreatedApiKey revoked = keys.createApiKey(new CreateApiKey().name("to-revoke"));
    keys.revokeApiKey(revoked.getId());
    // expired: planted behind the API's back, which refuses a past expiry
    String expired = ApiKeySecrets.newKey();
    String adminId = new UsersApi(server.admin()).getSelf().getId();
    server.jdbi().useTransaction(h -> ApiKeyService.insert(h, adminId, "expired", expired, "admin",
        System.currentTimeMillis() - 1, System.currentTimeMillis() - 1000));
    String wrongSecret = revoked.getPrefix() + "x".repeat(40);

    List<HttpResponse<String>> answers = new ArrayList<>();
    answers.add(server.send(server.request(CATALOGS)));
    answers.add(server.send(server.request(CATALOGS).header("Authorization", "Bearer ")));
    answers.add(server.send(server.request(CATALOGS).header("Authorization", "Basic YWRtaW46YWRtaW4=")));
    answers.add(server.send(server.request(CATALOGS).header("Authorization", "Bearer short")));
    answers.add(server.send(server.request(CATALOGS).header("Authorization", "Bearer " + ApiKeySecrets.newKey())));
    answers.add(server.send(server.request(CATALOGS).header("Authorization", "Bearer " + wrongSecret)));
    answers.add(server.send(server.request(CATALOGS).header("Authorization", "Bearer " + revoked.getKey())));
    answers.add(server.send(server.request(CATALOGS).header("Authorization", "Bearer " + expired)));
    // x-api-key is for the inference endpoints only
    answers.add(server.send(server.request(CATALOGS).header("x-api-key", TestServer.ADMIN_KEY)));

    String first = answers.get(0).body();
    assertThat(first).isEqualTo("{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"A valid API key is required.\"}");
    for (HttpResponse<String> answer : answers) {
      assertRawError(answer, 401, "UNAUTHENTICATED");
      assertThat(answer.body()).isEqualTo(first);
    }
  }
}
