package dev.gatehouse.testing;

import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.GatehouseConfiguration;
import dev.gatehouse.client.ApiClient;
import dev.gatehouse.client.ApiException;
import dev.gatehouse.client.api.ApiKeysApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.model.CreateApiKey;
import dev.gatehouse.client.model.ScimUser;
import dev.gatehouse.db.DatabaseConfig;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real application on random ports over a fresh database of the kind under test, driven through
 * the generated Java client. Register it as a static {@code @RegisterExtension} field.
 */
public class TestServer implements BeforeAllCallback, AfterAllCallback {
  public static final String ADMIN_KEY = "ghk_test-admin-key-0123456789abcdefghijklmnop";
  /** Base64 of 32 bytes: the master key that seals provider secrets in tests. */
  public static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  private final DatabaseConfig database;
  private DropwizardTestSupport<GatehouseConfiguration> support;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public TestServer() {
    this(TestDatabases.fresh());
  }

  public TestServer(DatabaseConfig database) {
    this.database = database;
  }

  /** The application's clock; the system's unless a test moves time by hand. */
  private java.time.Clock clock = java.time.Clock.systemUTC();

  public TestServer withClock(java.time.Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Tests start empty unless they ask for the demo seed. */
  private boolean seedDemo;

  public TestServer withDemo() {
    seedDemo = true;
    return this;
  }

  private final List<ConfigOverride> overrides = new ArrayList<>();

  /** A config.yml value of this server's own, e.g. a short idle timeout. */
  public TestServer withConfig(String key, String value) {
    overrides.add(ConfigOverride.config(key, value));
    return this;
  }

  public DatabaseConfig database() {
    return database;
  }

  /**
   * Tests call models with made-up upstream names (gpt-test) that have no price, so they run with
   * unpriced models allowed; pricing tests ask for the shipped default, deny.
   */
  private String unpricedModels = "allow";
  public TestServer denyUnpriced() {
    unpricedModels = "deny";
    return this;
  }

  public void start() {
    java.time.Clock appClock = clock;
    List<ConfigOverride> config = new ArrayList<>(List.of(
        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
        ConfigOverride.config("server.adminConnectors[0].port", "0"),
        ConfigOverride.config("database.url", database.getUrl()),
        ConfigOverride.config("database.user", database.getUser()),
        ConfigOverride.config("database.password", database.getPassword()),
        ConfigOverride.config("security.bootstrapAdminKey", ADMIN_KEY),
        ConfigOverride.config("security.masterKey", MASTER_KEY),
        ConfigOverride.config("seedDemo", Boolean.toString(seedDemo)),
        ConfigOverride.config("pricing.unpricedModels", unpricedModels),
        ConfigOverride.config("logging.level", "WARN")));
    config.addAll(overrides);
    support = new DropwizardTestSupport<>(GatehouseApplication.class, "config.yml",
        config.toArray(ConfigOverride[]::new)) {
      @Override
      public io.dropwizard.core.Application<GatehouseConfiguration> newApplication() {
        return new GatehouseApplication(appClock);
      }
    };
    try {
      support.before();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public void stop() {
    if (support != null) {
      support.after();
      support = null;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  public int port() {
    return support.getLocalPort();
  }

  public int adminPort() {
    return support.getAdminPort();
  }

  public String baseUrl() {
    return "http://localhost:" + port();
  }

  /** A generated-client configuration that sends {@code key} as a Bearer token (none when null). */
  public ApiClient client(String key) {
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUrl());
    if (key != null) {
      client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + key));
    }
    return client;
  }

  public ApiClient admin() {
    return client(ADMIN_KEY);
  }

  /** Creates the user {@code userName} (in no group, so no admin), gives it a key and returns the key. */
  public String userWithKey(String userName) {
    try {
      new UsersApi(admin()).createUser(new ScimUser().userName(userName));
      return new ApiKeysApi(admin()).createApiKey(new CreateApiKey().name("first").principal(userName)).getKey();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getCode() + " " + e.getResponseBody(), e);
    }
  }

  /** What the running application manages (background work started with the server). */
  public List<io.dropwizard.lifecycle.Managed> managed() {
    return support.getEnvironment().lifecycle().getManagedObjects().stream()
        .filter(io.dropwizard.lifecycle.JettyManaged.class::isInstance)
        .map(object -> ((io.dropwizard.lifecycle.JettyManaged) object).getManaged()).toList();
  }

  /** Direct access to the server's database, for what no API may do (plant an expired key). */
  public Jdbi jdbi() {
    return TestDatabases.jdbi(database);
  }

  /** A raw request, for what the generated client cannot send (malformed bodies, odd headers). */
  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON request with a Bearer key (none when null) and an optional body. */
  public HttpResponse<String> call(String method, String path, String body, String key) {
    HttpRequest.Builder request = request(path)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return send(request);
  }

  /**
   * Sends on a connection of its own. For requests the server refuses before reading their body:
   * it answers and closes, and a pooled connection could otherwise be picked up by the next request.
   */
  public HttpResponse<String> sendOnce(HttpRequest.Builder request) {
    HttpClient oneShot = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      return oneShot.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
  }

  public HttpRequest.Builder adminRequest(String path) {
    return request(path).header("Authorization", "Bearer " + ADMIN_KEY);
  }
}
