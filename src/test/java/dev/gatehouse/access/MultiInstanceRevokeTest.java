package dev.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import dev.gatehouse.testing.TwoInstances;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two application instances on one database: a revoke made through one is enforced by the other on
 * its next request (grants are never cached); a membership change within the key cache's 1 s TTL.
 */
class MultiInstanceRevokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final TwoInstances instances = new TwoInstances();

  @Test
  void revokeThroughOneInstanceIsEnforcedByTheOther() throws Exception {
    call(instances.first(), "POST", "/api/1.0/unity-control/scim2/Users", "{\"userName\":\"frank\"}", TestServer.ADMIN_KEY);
    String frank = JSON.readTree(call(instances.first(), "POST", "/api/1.0/gatehouse/api-keys",
        "{\"name\":\"k\",\"principal\":\"frank\"}", TestServer.ADMIN_KEY).body()).get("key").asText();
    call(instances.first(), "POST", "/api/2.1/unity-catalog/catalogs", "{\"name\":\"shared\"}", TestServer.ADMIN_KEY);
    call(instances.first(), "PATCH", "/api/2.1/unity-catalog/permissions/catalog/shared",
        "{\"changes\":[{\"principal\":\"frank\",\"add\":[\"USE_CATALOG\"]}]}", TestServer.ADMIN_KEY);
    assertThat(call(instances.second(), "GET", "/api/2.1/unity-catalog/catalogs/shared", null, frank).statusCode()).isEqualTo(200);

    call(instances.first(), "PATCH", "/api/2.1/unity-catalog/permissions/catalog/shared",
        "{\"changes\":[{\"principal\":\"frank\",\"remove\":[\"USE_CATALOG\"]}]}", TestServer.ADMIN_KEY);
    assertThat(call(instances.second(), "GET", "/api/2.1/unity-catalog/catalogs/shared", null, frank).statusCode()).isEqualTo(404);
  }

  @Test
  void revokedKeyStopsWorkingOnTheOtherInstanceWithinTheCacheTtl() throws Exception {
    call(instances.first(), "POST", "/api/1.0/unity-control/scim2/Users", "{\"userName\":\"gina\"}", TestServer.ADMIN_KEY);
    var created = JSON.readTree(call(instances.first(), "POST", "/api/1.0/gatehouse/api-keys",
        "{\"name\":\"k\",\"principal\":\"gina\"}", TestServer.ADMIN_KEY).body());
    String key = created.get("key").asText();
    assertThat(call(instances.second(), "GET", "/api/2.1/unity-catalog/catalogs", null, key).statusCode()).isEqualTo(200);
    call(instances.first(), "DELETE", "/api/1.0/gatehouse/api-keys/" + created.get("id").asText(), null, TestServer.ADMIN_KEY);
    long deadline = System.nanoTime() + 1_500_000_000L;
    int status;
    do {
      status = call(instances.second(), "GET", "/api/2.1/unity-catalog/catalogs", null, key).statusCode();
    } while (status != 401 && System.nanoTime() < deadline);
    assertThat(status).isEqualTo(401);
  }

  private static HttpResponse<String> call(TestServer server, String method, String path, String body, String key) {
    return server.call(method, path, body, key);
  }
}
