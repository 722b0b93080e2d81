package dev.gatehouse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.audit.AuditCommand;
import dev.gatehouse.audit.AuditHttpFilter;
import dev.gatehouse.audit.AuditJerseyFilter;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.AuditResource;
import dev.gatehouse.audit.AuditRetention;
import dev.gatehouse.audit.AuditService;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.budget.BudgetAlerts;
import dev.gatehouse.budget.BudgetConfig;
import dev.gatehouse.budget.BudgetGuard;
import dev.gatehouse.budget.BudgetService;
import dev.gatehouse.budget.BudgetSpend;
import dev.gatehouse.budget.BudgetSweeper;
import dev.gatehouse.budget.BudgetsResource;
import dev.gatehouse.pricing.PriceBook;
import dev.gatehouse.pricing.PriceFile;
import dev.gatehouse.pricing.PricingGuard;
import dev.gatehouse.pricing.PricingResource;
import dev.gatehouse.usage.UsageReports;
import dev.gatehouse.usage.UsageResource;
import java.util.List;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import dev.gatehouse.access.GrantAuthorizer;
import dev.gatehouse.access.GrantService;
import dev.gatehouse.access.GrantsResource;
import dev.gatehouse.access.MetastoresResource;
import dev.gatehouse.securable.SecurableLookup;
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
import dev.gatehouse.common.JsonErrorHandler;
import dev.gatehouse.db.DbCommand;
import dev.gatehouse.gateway.AnthropicBridge;
import dev.gatehouse.audit.ChangeEpoch;
import dev.gatehouse.db.BatchedWrites;
import dev.gatehouse.db.H2Housekeeping;
import dev.gatehouse.db.ReadCaches;
import dev.gatehouse.gateway.CallGuard;
import dev.gatehouse.gateway.ChatGateway;
import dev.gatehouse.gateway.ConnectionService;
import dev.gatehouse.gateway.IdleWatchdog;
import dev.gatehouse.gateway.InferenceResource;
import dev.gatehouse.gateway.InferenceServlet;
import dev.gatehouse.gateway.Ledger;
import dev.gatehouse.gateway.MessagesGateway;
import dev.gatehouse.gateway.ProviderErrorShape;
import dev.gatehouse.gateway.ServingResolver;
import dev.gatehouse.gateway.UpstreamClient;
import dev.gatehouse.models.ServingLookup;
import dev.gatehouse.usage.UsageLedger;
import dev.gatehouse.gateway.ConnectionsResource;
import dev.gatehouse.gateway.SecretBox;
import dev.gatehouse.db.Migrations;
import dev.gatehouse.identity.AdminBootstrap;
import dev.gatehouse.identity.ApiKeyAuthenticator;
import dev.gatehouse.identity.ApiKeyRealm;
import dev.gatehouse.identity.ApiKeyService;
import dev.gatehouse.identity.ApiKeysResource;
import dev.gatehouse.identity.ApiKeyLogin;
import dev.gatehouse.identity.AuthenticationFilter;
import dev.gatehouse.identity.GroupsResource;
import dev.gatehouse.identity.IdentityService;
import dev.gatehouse.identity.ServicePrincipalsResource;
import dev.gatehouse.identity.UsersResource;
import dev.gatehouse.lineage.LineageGraphService;
import dev.gatehouse.lineage.LineageRecorder;
import dev.gatehouse.lineage.LineageResource;
import dev.gatehouse.lineage.LineageTrackingResource;
import dev.gatehouse.lineage.OpenLineageIngest;
import dev.gatehouse.lineage.OpenLineageResource;
import dev.gatehouse.models.ModelAliasService;
import dev.gatehouse.models.ModelAliasesResource;
import dev.gatehouse.models.ModelVersionService;
import dev.gatehouse.models.ModelVersionsResource;
import dev.gatehouse.models.RegisteredModelService;
import dev.gatehouse.models.RegisteredModelsResource;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import java.time.Clock;
import java.util.List;
import dev.gatehouse.ratelimit.BucketStore;
import dev.gatehouse.ratelimit.LocalBucketStore;
import dev.gatehouse.ratelimit.PostgresBucketStore;
import dev.gatehouse.ratelimit.RateLimitConfig;
import dev.gatehouse.ratelimit.RateLimitGuard;
import dev.gatehouse.ratelimit.RateLimitRules;
import dev.gatehouse.ratelimit.RateLimitService;
import dev.gatehouse.ratelimit.RateLimitsResource;
import io.dropwizard.db.ManagedDataSource;
import org.apache.shiro.mgt.DefaultSecurityManager;
import org.apache.shiro.mgt.DefaultSessionStorageEvaluator;
import org.apache.shiro.mgt.DefaultSubjectDAO;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;

/** The one place that builds and wires every part of Gatehouse. */
public class GatehouseApplication extends Application<GatehouseConfiguration> {
  /** Deepest JSON nesting accepted in a request body; real payloads stay far below it. */
  static final int MAX_JSON_NESTING = 64;
  static final int MAX_JSON_STRING = 1_000_000;

  public static void main(String[] args) throws Exception {
    new GatehouseApplication().run(args);
  }

  private final Clock clock;

  public GatehouseApplication() {
    this(Clock.systemUTC());
  }

  /** With the clock every part reads time from: tests move it by hand instead of waiting. */
  public GatehouseApplication(Clock clock) {
    this.clock = clock;
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
    bootstrap.addCommand(new AuditCommand());
    configure(bootstrap.getObjectMapper());
  }

  static void configure(ObjectMapper mapper) {
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // Jackson truncates 1.5 to 1 in an integer field by default: {"version_num": 1.5} pointed an
    // alias at version 1. A fraction where a whole number belongs is the client's error.
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_JSON_NESTING)
        .maxStringLength(MAX_JSON_STRING)
        .maxNumberLength(100)
        .build());
    // Jackson's default pool keeps one set of parse and write buffers per thread; on virtual threads
    // every request is a new thread, so every request allocated them afresh (a tenth of the gateway's
    // allocation in a profile of 2026-11-27). A shared pool hands them from request to request.
    mapper.getFactory().setRecyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
  }

  /** Concurrent requests (open streams included) when request handling runs on virtual threads. */
  static final int MAX_CONCURRENT_REQUESTS_ON_VIRTUAL_THREADS = 16_384;
  /** Entries the read caches hold across all epochs; old epochs age out first. */
  static final long READ_CACHE_ENTRIES = 100_000;

  @Override
  public void run(GatehouseConfiguration config, Environment env) {
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      server.setRegisterDefaultExceptionMappers(false);
      boolean virtual = Runtime.version().feature() >= 21;
      server.setEnableVirtualThreads(virtual);
      if (virtual) {
        // Dropwizard caps virtual threads at maxThreads (default 1024), and each open stream holds
        // one for its whole life: request 1,025 waited in the queue until its idle timeout. Virtual
        // threads are cheap; the cap is kept only as a bound on concurrent requests.
        server.setMaxThreads(Math.max(server.getMaxThreads(), MAX_CONCURRENT_REQUESTS_ON_VIRTUAL_THREADS));
      }
    }
    if (config.getDatabase().isMigrateOnStart()) {
      Migrations.migrate(config.getDatabase());
    }
    var dataSourceFactory = config.getDatabase().toDataSourceFactory();
    var dataSource = dataSourceFactory.build(env.metrics(), "database");
    Jdbi jdbi = new JdbiFactory().build(env, dataSourceFactory, dataSource, "database");
    // Dropwizard wraps the template engine to prefix each statement with its DAO method's name, and
    // the wrapper bypasses Jdbi's cache of parsed templates: every statement was lexed anew (a tenth
    // of a usage-record insert). Jdbi's own engine is cached.
    jdbi.setTemplateEngine(new DefinedAttributeTemplateEngine());
    var changeEpoch = new ChangeEpoch(dataSource, config.getAudit().isEnabled(), config.getDatabase().isPostgres());
    env.lifecycle().manage(changeEpoch);
    ReadCaches.install(jdbi, changeEpoch::current, READ_CACHE_ENTRIES);
    var batchedWrites = new BatchedWrites(jdbi);
    env.lifecycle().manage(batchedWrites);
    if (H2Housekeeping.applies(config.getDatabase().effectiveUrl())) {
      env.lifecycle().manage(new H2Housekeeping(dataSource));
    }

    // identity
    var authenticator = new ApiKeyAuthenticator(jdbi, clock,
        java.time.Duration.ofMillis(config.getSecurity().getAuthCacheTtl().toMilliseconds()));
    var identity = new IdentityService(jdbi, clock, authenticator);
    var apiKeys = new ApiKeyService(jdbi, clock, authenticator);
    boolean firstStart = new AdminBootstrap(jdbi, clock).run(config.getSecurity().getBootstrapAdminKey(), System.out);

    // access
    var access = new AccessControl(jdbi);
    var grants = new GrantService(jdbi, clock, access);
    var securables = new SecurableLookup(jdbi);
    if (firstStart) {
      grants.grantAuditorsGroup();
    }

    // audit
    var linking = AuditLog.Linking.forDatabase(config.getDatabase().isPostgres());
    var auditLog = new AuditLog(jdbi, clock, env.getObjectMapper(), config.getAudit().isEnabled(), linking);
    if (config.getAudit().isEnabled() && linking == AuditLog.Linking.AFTER_COMMIT) {
      env.lifecycle().manage(auditLog.chainer());
    }
    env.metrics().registerGauge("gatehouse.audit.changes-under-way", auditLog::changesUnderWay);
    env.lifecycle().manage(new AuditRetention(jdbi, clock, env.getObjectMapper(), config.getAudit()));
    env.servlets().addFilter("audit", new AuditHttpFilter(jdbi, auditLog))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    AuditResource.AuditReadGuard auditReaders = () -> access.require(Callers.current(),
        securables.find("metastore", "metastore"), Privilege.AUDIT);

    // catalog
    var catalogs = new CatalogService(jdbi, clock, access);
    var tags = new TagService(jdbi, access);
    var tables = new TableService(jdbi, clock, access);
    var volumes = new VolumeService(jdbi, clock, access);
    var functions = new FunctionService(jdbi, clock, access);
    var search = new SearchService(jdbi, access, !config.getDatabase().isPostgres());

    // gateway
    var connections = new ConnectionService(jdbi, clock, access,
        SecretBox.fromMasterKey(config.getSecurity().getMasterKey()));

    // models
    var models = new RegisteredModelService(jdbi, clock, access);
    var modelVersions = new ModelVersionService(jdbi, clock, access, connections::requireUse);
    var modelAliases = new ModelAliasService(jdbi, access);
    if (firstStart && config.isSeedDemo()) {
      DemoSeed.run(identity, catalogs, connections, models, modelVersions, modelAliases);
    }

    // lineage
    var lineageRecorder = new LineageRecorder(jdbi, clock, access);
    var lineageGraphs = new LineageGraphService(jdbi, access);
    var openLineage = new OpenLineageIngest(jdbi, lineageRecorder, config.getLineage());
    // pricing, budgets and usage reports: admins and holders of AUDIT read everyone's
    java.util.function.Predicate<Caller> seesAllUsage = caller -> caller.admin()
        || access.allows(caller, securables.find("metastore", "metastore"), Privilege.AUDIT);
    var prices = new PriceBook(jdbi, clock, PriceFile.load(), connections::providerOf,
        java.time.Duration.ofMillis(config.getPricing().getRefreshInterval().toMilliseconds()));
    BudgetConfig budgetConfig = config.getBudgets();
    var budgets = new BudgetService(jdbi, clock, seesAllUsage,
        java.time.Duration.ofMillis(budgetConfig.getRefreshInterval().toMilliseconds()));
    var alerts = new BudgetAlerts(auditLog, env.getObjectMapper(), budgetConfig.getWebhookAttempts(),
        java.time.Duration.ofMillis(budgetConfig.getWebhookBackoff().toMilliseconds()),
        java.time.Duration.ofMillis(budgetConfig.getWebhookTimeout().toMilliseconds()));
    env.lifecycle().manage(alerts);
    var spend = new BudgetSpend(jdbi, clock, alerts, budgetConfig.getLeaseTimeout().toMilliseconds(),
        budgetConfig.getLeaseIdle().toMilliseconds(), budgetConfig.getLeaseCalls());
    env.lifecycle().manage(new BudgetSweeper(spend, budgetConfig.getLeaseIdle().toMilliseconds(),
        budgetConfig.getSweepInterval().toMilliseconds(), budgetConfig.getLeaseTimeout().toMilliseconds()));

    // inference
    var ledger = new Ledger(new UsageLedger(batchedWrites), clock, prices, apiKeys::defaultTags);
    var watchdog = new IdleWatchdog();
    env.lifecycle().manage(watchdog);
    var upstream = new UpstreamClient(watchdog);
    env.lifecycle().manage(upstream);
    var servingLookup = new ServingLookup(jdbi);
    var resolver = new ServingResolver(servingLookup, access);
    var bridge = new AnthropicBridge(upstream, watchdog, ledger, env.getObjectMapper());
    // limits
    var rateLimitRules = new RateLimitRules(jdbi, config.getRateLimits().getRulesCacheTtl());
    var rateLimits = new RateLimitService(jdbi, clock, access, rateLimitRules);
    var rateLimitGuard = new RateLimitGuard(rateLimitRules, bucketStore(config, env),
        config.getRateLimits().getDefaultMaxTokens());
    // cheapest refusal first: a refusal by a later guard gives back what the earlier ones took
    List<CallGuard> guards = new java.util.ArrayList<>();
    if (config.getPricing().denyUnpriced()) {
      guards.add(new PricingGuard(prices));
    }
    guards.add(rateLimitGuard);
    guards.add(new BudgetGuard(budgets, spend, prices, budgetConfig, clock));
    var chat = new ChatGateway(resolver, connections, upstream, watchdog, ledger, env.getObjectMapper(), bridge,
        CallGuard.all(guards));
    var messages = new MessagesGateway(chat, connections, upstream, watchdog, ledger, env.getObjectMapper(), bridge);

    // HTTP
    var jersey = env.jersey();
    // Jersey buffers the first 8 KiB of every response to compute its Content-Length and ignores
    // flush() until then: a server-sent event stream reached its client only after 8 KiB or at its
    // end. Jetty still sets Content-Length on whole answers that fit its own buffer.
    jersey.property(org.glassfish.jersey.server.ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
    jersey.register(new BodySizeLimit(config.getMaxBodyBytes(), config.getMaxInferenceBodyBytes()));
    jersey.register(new AuditJerseyFilter());
    var login = new ApiKeyLogin(shiro(authenticator, new GrantAuthorizer(access, securables)));
    jersey.register(new AuthenticationFilter(login));
    for (Object mapper : ErrorMappers.all()) {
      jersey.register(mapper);
    }
    jersey.register(new ProviderErrorShape());
    // Errors Jetty answers itself (an ambiguous URI, headers too large) in the same shapes.
    var errors = new JsonErrorHandler(env.getObjectMapper(), ProviderErrorShape::body);
    env.getApplicationContext().setErrorHandler(errors);
    env.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(errors));
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
    jersey.register(new GrantsResource(grants, securables));
    jersey.register(new MetastoresResource());
    jersey.register(new ConnectionsResource(connections));
    jersey.register(new RateLimitsResource(rateLimits));
    jersey.register(new InferenceResource(chat, messages, servingLookup, resolver, env.getObjectMapper()));
    env.servlets().addServlet("inference", new InferenceServlet(login, chat, messages, env.getObjectMapper(),
        config.getMaxInferenceBodyBytes())).addMapping(InferenceServlet.PATHS);
    jersey.register(new AuditResource(new AuditService(auditLog), auditLog, auditReaders, env.getObjectMapper()));
    jersey.register(new RegisteredModelsResource(models));
    jersey.register(new ModelVersionsResource(modelVersions));
    jersey.register(new ModelAliasesResource(modelAliases));
    jersey.register(new LineageResource(lineageRecorder, lineageGraphs));
    jersey.register(new OpenLineageResource(openLineage));
    jersey.register(new LineageTrackingResource(lineageGraphs));
    jersey.register(new PricingResource(prices, config.getPricing()));
    jersey.register(new BudgetsResource(budgets));
    jersey.register(new UsageResource(new UsageReports(jdbi, seesAllUsage), env.getObjectMapper()));
  }

  /**
   * Rate-limit buckets: in PostgreSQL when instances share it (through a small pool of their own,
   * since Bucket4j leaves its connections out of auto-commit), else in memory.
   */
  private BucketStore bucketStore(GatehouseConfiguration config, Environment env) {
    RateLimitConfig limits = config.getRateLimits();
    boolean database = switch (limits.getStore()) {
      case AUTO -> config.getDatabase().isPostgres();
      case DATABASE -> true;
      case LOCAL -> false;
    };
    if (!database) {
      return new LocalBucketStore(clock);
    }
    if (!config.getDatabase().isPostgres()) {
      throw new IllegalArgumentException("rateLimits.store: database needs a PostgreSQL database");
    }
    var pool = config.getDatabase().toDataSourceFactory();
    pool.setMaxSize(limits.getPoolSize());
    pool.setMinSize(Math.min(2, limits.getPoolSize()));
    pool.setInitialSize(Math.min(2, limits.getPoolSize()));
    ManagedDataSource dataSource = pool.build(env.metrics(), "rate-limit-buckets");
    env.lifecycle().manage(dataSource);
    var store = new PostgresBucketStore(dataSource, clock);
    env.lifecycle().manage(store);
    return store;
  }

  /** Shiro with the API-key realm, the grant authorizer and no sessions: every request carries its key. */
  static DefaultSecurityManager shiro(ApiKeyAuthenticator authenticator, GrantAuthorizer authorizer) {
    var manager = new DefaultSecurityManager(new ApiKeyRealm(authenticator));
    manager.setAuthorizer(authorizer);
    var storage = new DefaultSessionStorageEvaluator();
    storage.setSessionStorageEnabled(false);
    ((DefaultSubjectDAO) manager.getSubjectDAO()).setSessionStorageEvaluator(storage);
    return manager;
  }
}
