package dev.gatehouse.bench;

import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.api.model.ColumnInfo;
import dev.gatehouse.api.model.ColumnTypeName;
import dev.gatehouse.api.model.CreateFunction;
import dev.gatehouse.api.model.CreateTable;
import dev.gatehouse.api.model.CreateVolumeRequestContent;
import dev.gatehouse.api.model.DataSourceFormat;
import dev.gatehouse.api.model.FunctionParameterInfo;
import dev.gatehouse.api.model.FunctionParameterInfos;
import dev.gatehouse.api.model.ParameterStyle;
import dev.gatehouse.api.model.RoutineBody;
import dev.gatehouse.api.model.SecurityType;
import dev.gatehouse.api.model.SqlDataAccess;
import dev.gatehouse.api.model.TableType;
import dev.gatehouse.api.model.VolumeType;
import dev.gatehouse.catalog.CatalogService;
import dev.gatehouse.catalog.FunctionService;
import dev.gatehouse.catalog.TableService;
import dev.gatehouse.catalog.TagService;
import dev.gatehouse.catalog.VolumeService;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.db.Migrations;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The catalog-assets benchmark's data (run by bench/catalog-assets.sh before the server starts):
 * 10,000 tables in big.s and 90,000 more tables, volumes and functions across 9 catalogs of 10
 * schemas, 100,101 securables in all, written through the real services in-process (the same rows
 * and validation as the API, without HTTP, so that seeding takes minutes, not an hour). Not a test.
 * Arguments: JDBC URL, user, password. {@code -Dbench.assetsPerSchema=N} (default 1,000) shrinks the
 * 90,000 for a quick run of the harness (bench/run-all --quick); the 10,000-table schema stays.
 */
public final class AssetsSeeder {
  static final String[] WORDS = {"orders", "revenue", "customers", "events", "clicks", "sessions", "invoices",
      "payments", "refunds", "users", "accounts", "products", "inventory", "shipments", "returns", "leads",
      "campaigns", "ads", "impressions", "churn", "forecast", "ledger", "budget", "audit", "tickets", "support",
      "reviews", "ratings", "carts", "searches", "pages", "devices", "regions", "stores", "suppliers", "prices",
      "discounts", "coupons", "loyalty", "subscriptions", "plans", "usage", "metrics", "logs", "alerts",
      "incidents", "deployments", "builds", "models", "features"};
  static final int BIG_SCHEMA_TABLES = 10_000;
  static final int OTHER_CATALOGS = 9;
  static final int SCHEMAS_PER_CATALOG = 10;
  static final int ASSETS_PER_SCHEMA = Integer.getInteger("bench.assetsPerSchema", 1_000);
  static final Caller ADMIN = new Caller("bench", "admin", PrincipalType.USER, "bench", Set.of(), Set.of("admins"), true);

  private final CatalogService catalogs;
  private final TableService tables;
  private final VolumeService volumes;
  private final FunctionService functions;
  private final TagService tags;

  AssetsSeeder(Jdbi jdbi) {
    Clock clock = Clock.systemUTC();
    AccessControl access = new AccessControl(jdbi);
    catalogs = new CatalogService(jdbi, clock, access);
    tables = new TableService(jdbi, clock, access);
    volumes = new VolumeService(jdbi, clock, access);
    functions = new FunctionService(jdbi, clock, access);
    tags = new TagService(jdbi, access);
  }

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    DatabaseConfig config = new DatabaseConfig();
    config.setUrl(args[0]);
    config.setUser(args[1]);
    config.setPassword(args.length > 2 ? args[2] : "");
    Migrations.migrate(config);
    var dataSource = config.toDataSourceFactory().build(new MetricRegistry(), "seed");
    dataSource.start();
    long start = System.nanoTime();
    int made = new AssetsSeeder(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()))
        .seed(Integer.parseInt(System.getProperty("bench.threads", "4")));
    System.out.printf(Locale.ROOT, "- seeded %,d securables through the services in %.0f s%n", made,
        (System.nanoTime() - start) / 1e9);
    dataSource.stop();
  }

  static String name(int n) {
    return WORDS[n % WORDS.length] + "_" + WORDS[(n / WORDS.length) % WORDS.length] + "_" + n;
  }

  int seed(int threads) throws Exception {
    List<Runnable> work = new ArrayList<>();
    catalogs.createCatalog(ADMIN, new CatalogService.NewSecurable("big", null, null, null));
    catalogs.createSchema(ADMIN, "big", new CatalogService.NewSecurable("s", null, null, null));
    int made = 2;
    for (int i = 0; i < BIG_SCHEMA_TABLES; i++) {
      int n = i;
      work.add(() -> tables.create(ADMIN, table("big", "s", n)));
      made++;
    }
    for (int c = 0; c < OTHER_CATALOGS; c++) {
      String catalog = "cat_" + WORDS[c];
      catalogs.createCatalog(ADMIN, new CatalogService.NewSecurable(catalog, "catalog of " + WORDS[c], null, null));
      made++;
      for (int s = 0; s < SCHEMAS_PER_CATALOG; s++) {
        String schema = WORDS[(c * 7 + s) % WORDS.length] + "_" + s;
        catalogs.createSchema(ADMIN, catalog, new CatalogService.NewSecurable(schema, null, null, null));
        made++;
        for (int a = 0; a < ASSETS_PER_SCHEMA; a++) {
          int n = a;
          work.add(switch (a % 5) {
            case 0 -> () -> volumes.create(ADMIN, volume(catalog, schema, n));
            case 1 -> () -> functions.create(ADMIN, function(catalog, schema, n));
            default -> () -> tables.create(ADMIN, table(catalog, schema, n));
          });
          made++;
        }
      }
    }
    runAll(work, threads);
    // 50 tagged tables, for the tag-filtered searches (fewer when a quick run seeds fewer tables there).
    for (int i = 0; i < 50 && i * 5 + 2 < ASSETS_PER_SCHEMA; i++) {
      tags.update(ADMIN, "table", "cat_orders.orders_0." + name(i * 5 + 2), Map.of("tier", "gold"), null);
    }
    return made;
  }

  public static CreateTable table(String catalog, String schema, int n) {
    List<ColumnInfo> columns = new ArrayList<>();
    String[][] cols = {{"id", "bigint", "LONG"}, {"name", "string", "STRING"}, {"amount", "double", "DOUBLE"},
        {"created_at", "timestamp", "TIMESTAMP"}, {"region", "string", "STRING"}};
    for (int i = 0; i < cols.length; i++) {
      columns.add(new ColumnInfo().name(cols[i][0]).typeText(cols[i][1]).typeName(ColumnTypeName.fromValue(cols[i][2]))
          .typeJson("{\"name\":\"" + cols[i][0] + "\",\"type\":\"" + cols[i][1] + "\",\"nullable\":true,\"metadata\":{}}")
          .position(i).nullable(true));
    }
    return new CreateTable().catalogName(catalog).schemaName(schema).name(name(n)).tableType(TableType.EXTERNAL)
        .dataSourceFormat(DataSourceFormat.DELTA).storageLocation("s3://bench/" + catalog + "/" + schema + "/" + n)
        .columns(columns).comment(n % 3 == 0 ? "daily " + WORDS[(n * 13) % WORDS.length] + " by region" : null)
        .properties(Map.of("owner_team", "team_" + (n % 17)));
  }

  static CreateVolumeRequestContent volume(String catalog, String schema, int n) {
    return new CreateVolumeRequestContent().catalogName(catalog).schemaName(schema).name(name(n))
        .volumeType(VolumeType.EXTERNAL).storageLocation("s3://bench/volumes/" + catalog + "/" + schema + "/" + n)
        .comment("raw " + WORDS[(n * 11) % WORDS.length] + " files");
  }

  static CreateFunction function(String catalog, String schema, int n) {
    return new CreateFunction().name(name(n)).catalogName(catalog).schemaName(schema)
        .inputParams(new FunctionParameterInfos().parameters(List.of(new FunctionParameterInfo()
            .name("x").typeText("int").typeName(ColumnTypeName.INT).typeJson("{}").position(0))))
        .dataType(ColumnTypeName.INT).fullDataType("INT").routineBody(RoutineBody.SQL).routineDefinition("x + 1")
        .parameterStyle(ParameterStyle.S).isDeterministic(true).sqlDataAccess(SqlDataAccess.NO_SQL).isNullCall(false)
        .securityType(SecurityType.DEFINER).specificName(name(n));
  }

  static void runAll(List<Runnable> work, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (Runnable r : work) {
      futures.add(pool.submit(r));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
  }
}
