package dev.gatehouse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.catalog.CatalogService;
import dev.gatehouse.catalog.CatalogsResource;
import dev.gatehouse.catalog.FunctionService;
import dev.gatehouse.catalog.FunctionsResource;
import dev.gatehouse.catalog.SchemasResource;
import dev.gatehouse.catalog.SearchResource;
import dev.gatehouse.catalog.SearchService;
import dev.gatehouse.catalog.TableService;
import dev.gatehouse.catalog.TablesResource;
import dev.gatehouse.catalog.TagService;
import dev.gatehouse.catalog.TagsResource;
import dev.gatehouse.catalog.VolumeService;
import dev.gatehouse.catalog.VolumesResource;
import dev.gatehouse.common.BodySizeLimit;
import dev.gatehouse.common.ErrorMappers;
import dev.gatehouse.db.DbCommand;
import dev.gatehouse.db.Migrations;
import dev.gatehouse.identity.AdminBootstrap;
import dev.gatehouse.identity.ApiKeyAuthenticator;
import dev.gatehouse.identity.ApiKeyRealm;
import dev.gatehouse.identity.ApiKeyService;
import dev.gatehouse.identity.ApiKeysResource;
import dev.gatehouse.identity.AuthenticationFilter;
import dev.gatehouse.identity.GroupsResource;
import dev.gatehouse.identity.IdentityService;
import dev.gatehouse.identity.ServicePrincipalsResource;
import dev.gatehouse.identity.UsersResource;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import java.time.Clock;
import org.apache.shiro.mgt.DefaultSecurityManager;
import org.apache.shiro.mgt.DefaultSessionStorageEvaluator;
import org.apache.shiro.mgt.DefaultSubjectDAO;
import org.jdbi.v3.core.Jdbi;

/** The one place that builds and wires every part of Gatehouse. */
public class GatehouseApplication extends Application<GatehouseConfiguration> {
  /** Deepest JSON nesting accepted in a request body; real payloads stay far below it. */
  static final int MAX_JSON_NESTING = 64;
  static final int MAX_JSON_STRING = 1_000_000;

  public static void main(String[] args) throws Exception {
    new GatehouseApplication().run(args);
  }

  @Override
  public String getName() {
    return "gatehouse";
  }

  @Override
  public void initialize(Bootstrap<GatehouseConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
        bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    bootstrap.addCommand(new DbCommand());
    configure(bootstrap.getObjectMapper());
  }

  static void configure(ObjectMapper mapper) {
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_JSON_NESTING)
        .maxStringLength(MAX_JSON_STRING)
        .maxNumberLength(100)
        .build());
  }

  @Override
  public void run(GatehouseConfiguration config, Environment env) {
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      server.setRegisterDefaultExceptionMappers(false);
      server.setEnableVirtualThreads(Runtime.version().feature() >= 21);
    }
    if (config.getDatabase().isMigrateOnStart()) {
      Migrations.migrate(config.getDatabase());
    }
    Jdbi jdbi = new JdbiFactory().build(env, config.getDatabase().toDataSourceFactory(), "database");
    Clock clock = Clock.systemUTC();

    // identity
    var authenticator = new ApiKeyAuthenticator(jdbi, clock,
        java.time.Duration.ofMillis(config.getSecurity().getAuthCacheTtl().toMilliseconds()));
    var identity = new IdentityService(jdbi, clock, authenticator);
    var apiKeys = new ApiKeyService(jdbi, clock, authenticator);
    new AdminBootstrap(jdbi, clock).run(config.getSecurity().getBootstrapAdminKey(), System.out);

    // access
    var access = new AccessControl(jdbi);

    // catalog
    var catalogs = new CatalogService(jdbi, clock, access);
    var tags = new TagService(jdbi, access);
    var tables = new TableService(jdbi, clock, access);
    var volumes = new VolumeService(jdbi, clock, access);
    var functions = new FunctionService(jdbi, clock, access);
    var search = new SearchService(jdbi, access);

    // HTTP
    var jersey = env.jersey();
    jersey.register(new BodySizeLimit(config.getMaxBodyBytes()));
    jersey.register(new AuthenticationFilter(shiro(authenticator)));
    for (Object mapper : ErrorMappers.all()) {
      jersey.register(mapper);
    }
    jersey.register(new UsersResource(identity));
    jersey.register(new ServicePrincipalsResource(identity));
    jersey.register(new GroupsResource(identity));
    jersey.register(new ApiKeysResource(apiKeys));
    jersey.register(new CatalogsResource(catalogs, tags));
    jersey.register(new SchemasResource(catalogs, tags));
    jersey.register(new TablesResource(tables, tags));
    jersey.register(new VolumesResource(volumes, tags));
    jersey.register(new FunctionsResource(functions, tags));
    jersey.register(new TagsResource(tags));
    jersey.register(new SearchResource(search, tags));
  }

  /** Shiro with the API-key realm and no sessions: every request carries its key. */
  private static DefaultSecurityManager shiro(ApiKeyAuthenticator authenticator) {
    var manager = new DefaultSecurityManager(new ApiKeyRealm(authenticator));
    var storage = new DefaultSessionStorageEvaluator();
    storage.setSessionStorageEnabled(false);
    ((DefaultSubjectDAO) manager.getSubjectDAO()).setSessionStorageEvaluator(storage);
    return manager;
  }
}
