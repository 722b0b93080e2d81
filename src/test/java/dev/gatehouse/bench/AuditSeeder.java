package dev.gatehouse.bench;

import dev.gatehouse.audit.AuditChain;
import dev.gatehouse.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes a realistic audit history straight into audit_events: JDBC batches instead of a million
 * HTTP requests, but every event hashed and chained with {@link AuditChain} exactly as the server
 * would, and the chain head moved to the last event, so the result verifies and the server can go
 * on appending to it. A fixed random seed makes the history the same on every run and database.
 */
final class AuditSeeder {
  static final long DAY = 86_400_000L;
  static final int DAYS = 90;
  private static final int BATCH = 1_000;
  private static final int COMMIT_EVERY = 20_000;

  /** One kind of event: its service, action, securable level (0 none, 1 catalog, 2 schema, 3 asset). */
  record Action(String service, String name, String securableType, int level, double weight, boolean read) {}

  /** What auditors usually ask about: writes dominate, refused reads and bad keys are the rest. */
  static final List<Action> ACTIONS = List.of(
      new Action("catalog", "createCatalog", "catalog", 1, 0.5, false),
      new Action("catalog", "updateCatalog", "catalog", 1, 0.5, false),
      new Action("catalog", "deleteCatalog", "catalog", 1, 0.1, false),
      new Action("catalog", "createSchema", "schema", 2, 2, false),
      new Action("catalog", "updateSchema", "schema", 2, 1, false),
      new Action("catalog", "deleteSchema", "schema", 2, 0.3, false),
      new Action("catalog", "createTable", "table", 3, 10, false),
      new Action("catalog", "deleteTable", "table", 3, 3, false),
      new Action("catalog", "createVolume", "volume", 3, 2, false),
      new Action("catalog", "createFunction", "function", 3, 1, false),
      new Action("catalog", "setTags", "table", 3, 4, false),
      new Action("catalog", "getTable", "table", 3, 6, true),
      new Action("catalog", "getCatalog", "catalog", 1, 1, true),
      new Action("models", "createRegisteredModel", "registered_model", 3, 1, false),
      new Action("models", "createModelVersion", "registered_model", 3, 6, false),
      new Action("models", "updateModelVersion", "registered_model", 3, 2, false),
      new Action("models", "setAlias", "registered_model", 3, 4, false),
      new Action("models", "deleteAlias", "registered_model", 3, 1, false),
      new Action("access", "updatePermissions", "schema", 2, 6, false),
      new Action("identity", "createUser", null, 0, 0.3, false),
      new Action("identity", "patchUser", null, 0, 0.5, false),
      new Action("identity", "createGroup", null, 0, 0.1, false),
      new Action("identity", "patchGroup", null, 0, 1, false),
      new Action("identity", "createApiKey", null, 0, 1, false),
      new Action("identity", "revokeApiKey", null, 0, 0.5, false),
      new Action("identity", "authenticate", null, 0, 3, true),
      new Action("gateway", "createConnection", null, 0, 0.2, false),
      new Action("gateway", "updateRateLimit", null, 0, 0.5, false),
      new Action("gateway", "setBudget", null, 0, 0.5, false),
      new Action("lineage", "recordLineage", "table", 3, 8, false));

  static final List<String> SERVICES = ACTIONS.stream().map(Action::service).distinct().toList();

  private static final String[] AGENTS = {"gatehouse-python/0.1.0", "gatehouse-java/0.1.0", "curl/8.5.0",
      "terraform-provider-gatehouse/0.3.1", "Mozilla/5.0 (X11; Linux x86_64) Gatehouse-UI/1.2"};

  final int actorCount;
  final int catalogCount;
  final int schemasPerCatalog;
  final int assetsPerSchema;
  final long startTime;
  private final double[] actorCdf;
  private final double[] actionCdf;
  private final double[] catalogCdf;

  AuditSeeder(int actorCount, int catalogCount, int schemasPerCatalog, int assetsPerSchema, long startTime) {
    this.actorCount = actorCount;
    this.catalogCount = catalogCount;
    this.schemasPerCatalog = schemasPerCatalog;
    this.assetsPerSchema = assetsPerSchema;
    this.startTime = startTime;
    // A few pipelines and admins do most of the changes; most people change little (Zipf-like).
    this.actorCdf = cdf(actorCount, 0.9);
    this.catalogCdf = cdf(catalogCount, 0.7);
    double[] weights = ACTIONS.stream().mapToDouble(Action::weight).toArray();
    this.actionCdf = cumulative(weights);
  }

  String actor(int i) {
    return i % 10 == 9 ? String.format("sp-pipeline-%04d", i) : String.format("user%04d@example.com", i);
  }

  String catalog(int i) {
    return String.format("cat%02d", i);
  }

  String schema(int catalog, int i) {
    return catalog(catalog) + ".sch" + i;
  }

  /** Seeds {@code count} events after the current head; returns the last hash. */
  String seed(Connection c, int count, long randomSeed) throws SQLException {
    SplittableRandom rng = new SplittableRandom(randomSeed);
    String[] keyIds = new String[actorCount];
    for (int i = 0; i < actorCount; i++) {
      keyIds[i] = uuid(rng);
    }
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    long seq;
    String prev;
    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT last_seq, last_hash FROM audit_chain_head")) {
      rs.next();
      seq = rs.getLong(1);
      prev = rs.getString(2);
    }
    double step = (double) DAYS * DAY / count;
    String insert = "INSERT INTO audit_events (seq, event_id, event_time, request_id, actor_name, actor_type,"
        + " api_key_id, source_ip, user_agent, service, action_name, securable_type, full_name, request_params,"
        + " details, status_code, error_code, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    long began = System.nanoTime();
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      for (int i = 0; i < count; i++) {
        seq++;
        // Times rise with seq, as appends under the head lock make them, with jitter inside the step.
        long time = startTime + (long) (i * step + rng.nextDouble() * step);
        AuditEvent unsigned = event(rng, keyIds, seq, time, prev);
        String hash = AuditChain.hash(unsigned, prev);
        bind(ps, unsigned, hash);
        ps.addBatch();
        prev = hash;
        if ((i + 1) % BATCH == 0 || i + 1 == count) {
          ps.executeBatch();
        }
        if ((i + 1) % COMMIT_EVERY == 0 || i + 1 == count) {
          c.commit();
        }
        if ((i + 1) % 100_000 == 0) {
          System.out.printf("  seeded %,d events (%.0f s)%n", i + 1, (System.nanoTime() - began) / 1e9);
        }
      }
    }
    try (var ps = c.prepareStatement("UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
      ps.setLong(1, seq);
      ps.setString(2, prev);
      ps.executeUpdate();
    }
    c.commit();
    c.setAutoCommit(autoCommit);
    return prev;
  }

  private AuditEvent event(SplittableRandom rng, String[] keyIds, long seq, long time, String prev) {
    int actor = pick(actorCdf, rng);
    Action action = ACTIONS.get(pick(actionCdf, rng));
    int status = status(action, rng);
    String fullName = null;
    if (action.level() > 0) {
      int cat = pick(catalogCdf, rng);
      fullName = catalog(cat);
      if (action.level() > 1) {
        fullName = schema(cat, rng.nextInt(schemasPerCatalog));
      }
      if (action.level() > 2) {
        fullName += ".obj" + rng.nextInt(assetsPerSchema);
      }
    }
    boolean badKey = status == 401;
    String params = fullName == null
        ? "{\"body\":{\"display_name\":\"entry-" + rng.nextInt(100_000) + "\"}}"
        : "{\"full_name\":\"" + fullName + "\",\"body\":{\"comment\":\"changed by " + action.name()
            + "\",\"properties\":{\"owner_team\":\"team-" + rng.nextInt(40) + "\"}}}";
    String details = null;
    if (status == 200 && (action.name().equals("updatePermissions") || action.name().equals("setAlias"))) {
      details = "{\"before\":{\"group-" + rng.nextInt(50) + "\":[\"SELECT\",\"USE_SCHEMA\"]},"
          + "\"after\":{\"group-" + rng.nextInt(50) + "\":[\"SELECT\",\"MODIFY\",\"USE_SCHEMA\"]}}";
    }
    return new AuditEvent(seq, uuid(rng), time, uuid(rng), badKey ? null : actor(actor),
        badKey ? null : (actor % 10 == 9 ? "SERVICE_PRINCIPAL" : "USER"), badKey ? null : keyIds[actor],
        "10." + (actor % 200) + "." + (actor / 200) + "." + (1 + rng.nextInt(250)),
        AGENTS[actor % AGENTS.length], action.service(), action.name(), action.securableType(), fullName,
        params, details, status, errorCode(status), prev, null);
  }

  /** Writes succeed mostly; reads are recorded only when refused; 'authenticate' is a bad key. */
  private static int status(Action action, SplittableRandom rng) {
    if (action.name().equals("authenticate")) {
      return 401;
    }
    double r = rng.nextDouble();
    if (action.read()) {
      return r < 0.6 ? 403 : 404;
    }
    return r < 0.90 ? 200 : r < 0.94 ? 403 : r < 0.96 ? 404 : r < 0.98 ? 409 : r < 0.999 ? 400 : 503;
  }

  private static String errorCode(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ALREADY_EXISTS";
      case 503 -> "UNAVAILABLE";
      default -> null;
    };
  }

  private static void bind(PreparedStatement ps, AuditEvent e, String hash) throws SQLException {
    ps.setLong(1, e.seq());
    ps.setString(2, e.eventId());
    ps.setLong(3, e.eventTime());
    ps.setString(4, e.requestId());
    ps.setString(5, e.actorName());
    ps.setString(6, e.actorType());
    ps.setString(7, e.apiKeyId());
    ps.setString(8, e.sourceIp());
    ps.setString(9, e.userAgent());
    ps.setString(10, e.service());
    ps.setString(11, e.actionName());
    ps.setString(12, e.securableType());
    ps.setString(13, e.fullName());
    ps.setString(14, e.requestParams());
    if (e.details() == null) {
      ps.setNull(15, Types.VARCHAR);
    } else {
      ps.setString(15, e.details());
    }
    ps.setInt(16, e.statusCode());
    ps.setString(17, e.errorCode());
    ps.setString(18, e.prevHash());
    ps.setString(19, hash);
  }

  private static String uuid(SplittableRandom rng) {
    return new UUID(rng.nextLong(), rng.nextLong()).toString();
  }

  static int pick(double[] cdf, SplittableRandom rng) {
    double r = rng.nextDouble() * cdf[cdf.length - 1];
    int i = java.util.Arrays.binarySearch(cdf, r);
    return Math.min(i >= 0 ? i : -i - 1, cdf.length - 1);
  }

  private static double[] cdf(int n, double exponent) {
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = 1 / Math.pow(i + 1, exponent);
    }
    return cumulative(weights);
  }

  private static double[] cumulative(double[] weights) {
    double[] out = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      out[i] = sum;
    }
    return out;
  }

  static List<String> names(int count, java.util.function.IntFunction<String> name) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(name.apply(i));
    }
    return out;
  }
}
