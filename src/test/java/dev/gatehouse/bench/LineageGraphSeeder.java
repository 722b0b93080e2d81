package dev.gatehouse.bench;

import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.securable.SecurableRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.UUID;

/**
 * The lineage benchmark's graph (issue 6), written with JDBC batches straight into the migrated
 * tables (the rows LineageRecorder writes; through the API a million edges would take hours).
 *
 * <p>Shape: a layered DAG, as lakehouse pipelines are. {@code pipelines} pipelines (one schema
 * each, 20 schemas per catalog) of {@code layers x width} tables; every table reads {@code fanIn}
 * distinct tables of the layer before it in its pipeline, and the first layer of pipeline p reads
 * the last layer of pipeline p-1 (pipeline 0 reads the last one, closing one long cycle of
 * pipelines x layers hops). So every table has exactly {@code fanIn} inputs (edges = nodes x fanIn)
 * and on average as many outputs, and a walk of d hops reaches at most about d x width tables. With
 * the sizes: 200 pipelines x 20 layers x 50 tables = 200,000 nodes, 1,000,000 edges.
 * Everything comes from one seeded {@link Random}.
 */
final class LineageGraphSeeder {
  record Shape(int pipelines, int layers, int width, int fanIn) {
    static Shape full() {
      return new Shape(200, 20, 50, 5);
    }

    static Shape fromSystemProperties() {
      return Boolean.getBoolean("bench.small") ? new Shape(20, 20, 50, 5) : full();
    }

    int perPipeline() {
      return layers * width;
    }

    int nodes() {
      return pipelines * perPipeline();
    }

    long edges() {
      return (long) nodes() * fanIn;
    }
  }

  static final int SCHEMAS_PER_CATALOG = 20;
  private static final int BATCH = 5_000;

  final Shape shape;
  /** Securable id of node i (node ids are i + 1). */
  final String[] securableIds;
  final String[] catalogIds;
  final String benchUserId = UUID.randomUUID().toString();
  private final Random random;

  private LineageGraphSeeder(Shape shape, long seed) {
    this.shape = shape;
    this.securableIds = new String[shape.nodes()];
    this.catalogIds = new String[(shape.pipelines() + SCHEMAS_PER_CATALOG - 1) / SCHEMAS_PER_CATALOG];
    this.random = new Random(seed);
  }

  static LineageGraphSeeder seed(DatabaseConfig db, Shape shape, long seed) throws SQLException {
    LineageGraphSeeder data = new LineageGraphSeeder(shape, seed);
    try (Connection c = DriverManager.getConnection(AccessDataSet.seedingUrl(db), db.getUser(), db.getPassword())) {
      c.setAutoCommit(false);
      data.writeSecurables(c);
      data.writeNodes(c);
      data.writeEdges(c);
      data.writeBenchUser(c);
      c.commit();
      c.setAutoCommit(true);
      // Fresh planner statistics, as a database that grew over time would have.
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
    }
    return data;
  }

  int pipelineOf(int node) {
    return node / shape.perPipeline();
  }

  int layerOf(int node) {
    return node % shape.perPipeline() / shape.width();
  }

  String fullName(int node) {
    int p = pipelineOf(node);
    return "lc" + p / SCHEMAS_PER_CATALOG + ".p" + p + "." + tableName(node);
  }

  private String tableName(int node) {
    return String.format("l%02d_%02d", layerOf(node), node % shape.width());
  }

  private void writeSecurables(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO securables (id, securable_type, parent_id, name,"
        + " full_name, owner, created_at, created_by) VALUES (?, ?, ?, ?, ?, 'platform', 0, 'bench')")) {
      String[] schemaIds = new String[shape.pipelines()];
      for (int cat = 0; cat < catalogIds.length; cat++) {
        catalogIds[cat] = UUID.randomUUID().toString();
        add(p, catalogIds[cat], "CATALOG", SecurableRow.METASTORE_ID, "lc" + cat, "lc" + cat);
      }
      for (int pipe = 0; pipe < shape.pipelines(); pipe++) {
        schemaIds[pipe] = UUID.randomUUID().toString();
        int cat = pipe / SCHEMAS_PER_CATALOG;
        add(p, schemaIds[pipe], "SCHEMA", catalogIds[cat], "p" + pipe, "lc" + cat + ".p" + pipe);
      }
      p.executeBatch();
      for (int node = 0; node < shape.nodes(); node++) {
        securableIds[node] = UUID.randomUUID().toString();
        add(p, securableIds[node], "TABLE", schemaIds[pipelineOf(node)], tableName(node), fullName(node));
        if ((node + 1) % BATCH == 0) {
          p.executeBatch();
        }
      }
      p.executeBatch();
    }
  }

  private static void add(PreparedStatement p, String id, String type, String parent, String name, String fullName)
      throws SQLException {
    p.setString(1, id);
    p.setString(2, type);
    p.setString(3, parent);
    p.setString(4, name);
    p.setString(5, fullName);
    p.addBatch();
  }

  private void writeNodes(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO lineage_nodes (id, node_key, node_type, securable_id,"
        + " name, created_at) VALUES (?, ?, 'TABLE', ?, ?, 0)")) {
      for (int node = 0; node < shape.nodes(); node++) {
        p.setLong(1, node + 1L);
        p.setString(2, securableIds[node]);
        p.setString(3, securableIds[node]);
        p.setString(4, fullName(node));
        p.addBatch();
        if ((node + 1) % BATCH == 0) {
          p.executeBatch();
        }
      }
      p.executeBatch();
    }
  }

  private void writeEdges(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO lineage_edges (id, from_node, to_node,"
        + " first_event_time, last_event_time) VALUES (?, ?, ?, ?, ?)")) {
      long id = 0;
      for (int node = 0; node < shape.nodes(); node++) {
        int pipe = pipelineOf(node);
        int layer = layerOf(node);
        // the layer this table reads: the one before it, or the last layer of the pipeline before
        int fromPipe = layer > 0 ? pipe : (pipe + shape.pipelines() - 1) % shape.pipelines();
        int fromLayer = layer > 0 ? layer - 1 : shape.layers() - 1;
        int base = fromPipe * shape.perPipeline() + fromLayer * shape.width();
        for (int input : random.ints(0, shape.width()).distinct().limit(shape.fanIn()).toArray()) {
          long time = 1_700_000_000_000L + random.nextInt(1_000_000_000);
          p.setLong(1, ++id);
          p.setLong(2, base + input + 1L);
          p.setLong(3, node + 1L);
          p.setLong(4, time);
          p.setLong(5, time);
          p.addBatch();
          if (id % BATCH == 0) {
            p.executeBatch();
          }
        }
      }
      p.executeBatch();
    }
  }

  /** A user who may read every table of the first catalog only: its graphs are partly masked. */
  private void writeBenchUser(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO principals (id, principal_type, name, name_key, active, created_at, updated_at)"
          + " VALUES ('" + benchUserId + "', 'USER', 'bench_user', 'bench_user', TRUE, 0, 0)");
      for (String privilege : new String[] {"USE_CATALOG", "USE_SCHEMA", "SELECT"}) {
        s.execute("INSERT INTO grants (securable_id, principal_id, privilege, catalog_id, schema_id, granted_at,"
            + " granted_by) VALUES ('" + catalogIds[0] + "', '" + benchUserId + "', '" + privilege + "', NULL, NULL, 0,"
            + " 'bench')");
      }
    }
  }
}
