package dev.gatehouse.bench;

import dev.gatehouse.access.Privilege;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The data set of the access benchmark (issue 4), written with JDBC batches straight into the
 * migrated tables: going through the services would take hours for a million grants, and the rows
 * are the same ones {@code GrantService} and the catalog write (grants carry catalog_id and schema_id).
 *
 * <ul>
 *   <li>securables: {@code catalogs x schemasPerCatalog x tablesPerSchema} tables under their schemas
 *       and catalogs; half the tables are owned by a random user, half by a random leaf group (a team),
 *       so ownership probes meet principals that own many rows;</li>
 *   <li>1,000 groups nested 3 deep: 10 top groups, each holding 9 middle groups, each holding 10 leaf
 *       groups; every user is a direct member of 1 to 3 leaf groups;</li>
 *   <li>{@code grants} random grants, half to a random user and half to a random group, on a random
 *       securable, of a random privilege valid for its type ({@link Privilege#grantableOn});</li>
 *   <li>the listing case: catalog {@code bench} with schema {@code half} of {@code halfTables} tables
 *       where user 0 (the "half user") holds USE_CATALOG, USE_SCHEMA and SELECT on every other table
 *       by name, and neither it nor any of its groups holds or owns anything else there. The random
 *       grants reach these tables too (for other principals), so the schema is not unusually clean.</li>
 * </ul>
 * Everything comes from one seeded {@link Random}, so a run is reproducible.
 */
final class AccessDataSet {
  /** How big the data set is; {@link #full()} is the issue's, smaller ones are for trying the harness. */
  record Sizes(int catalogs, int schemasPerCatalog, int tablesPerSchema, int users, int grants, int halfTables) {
    static Sizes full() {
      return new Sizes(10, 10, 999, 10_000, 1_000_000, 10_000);
    }

    /** The full sizes unless {@code -Dbench.small=true}, a quick run of the same code paths. */
    static Sizes fromSystemProperties() {
      return Boolean.getBoolean("bench.small") ? new Sizes(2, 5, 200, 1_000, 50_000, 2_000) : full();
    }

    int securables() {
      return catalogs + catalogs * schemasPerCatalog + catalogs * schemasPerCatalog * tablesPerSchema;
    }
  }

  static final int TOP_GROUPS = 10;
  static final int MIDDLE_PER_TOP = 9;
  static final int LEAVES_PER_MIDDLE = 10;
  private static final int BATCH = 5_000;
  private static final String OWNER = "platform";
  private static final String HALF_OWNER = "bench_owner";

  final Sizes sizes;
  final String[] userIds;
  final String[] userNames;
  /** Every table outside the listing case: the population of the random permission checks. */
  final List<String> tableIds = new ArrayList<>();
  final String halfSchemaId;
  /** The tables of the listing case, in name order; the half user may read the even ones. */
  final List<String> halfTableIds = new ArrayList<>();
  long grantsWritten;

  private final Random random;
  private final String[] groupIds;
  private final List<String> leafNames = new ArrayList<>();
  private final List<Sec> securables = new ArrayList<>();
  private final Set<String> halfUserPrincipals = new HashSet<>();
  private final Map<SecurableType, Privilege[]> privilegesByType = new EnumMap<>(SecurableType.class);

  /** A securable as the grant writer needs it: where it lies, for catalog_id and schema_id. */
  private record Sec(String id, SecurableType type, String catalogId, String schemaId, boolean inHalfCatalog) {}

  private AccessDataSet(Sizes sizes, long seed) {
    this.sizes = sizes;
    this.random = new Random(seed);
    this.userIds = new String[sizes.users()];
    this.userNames = new String[sizes.users()];
    this.groupIds = new String[TOP_GROUPS * (1 + MIDDLE_PER_TOP * (1 + LEAVES_PER_MIDDLE))];
    this.halfSchemaId = id();
    for (SecurableType t : SecurableType.values()) {
      privilegesByType.put(t, java.util.Arrays.stream(Privilege.values()).filter(p -> p.grantableOn(t))
          .toArray(Privilege[]::new));
    }
  }

  /** Seeds a migrated, empty database. */
  static AccessDataSet seed(DatabaseConfig db, Sizes sizes, long seed) throws SQLException {
    AccessDataSet data = new AccessDataSet(sizes, seed);
    try (Connection c = DriverManager.getConnection(seedingUrl(db), db.getUser(), db.getPassword())) {
      c.setAutoCommit(false);
      data.writePrincipals(c);
      data.writeSecurables(c);
      data.writeGrants(c);
      c.commit();
      c.setAutoCommit(true);
      // Fresh planner statistics, as autovacuum (PostgreSQL) or H2's automatic ANALYZE would give a
      // database that grew over time; without them a bulk-loaded table is planned as if empty.
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
    }
    return data;
  }

  /** PostgreSQL's driver turns a batch into multi-row INSERTs only when asked to; seeding only. */
  static String seedingUrl(DatabaseConfig db) {
    String url = db.effectiveUrl();
    if (!db.isPostgres()) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  String halfUserId() {
    return userIds[0];
  }

  int groupCount() {
    return groupIds.length;
  }

  private void writePrincipals(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO principals (id, principal_type, name, name_key,"
        + " display_name, email, application_id, external_id, active, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement m = c.prepareStatement("INSERT INTO group_members (group_id, member_id) VALUES (?, ?)")) {
      int g = 0;
      List<String> leaves = new ArrayList<>();
      for (int t = 0; t < TOP_GROUPS; t++) {
        String top = groupIds[g++] = principal(p, "GROUP", "grp_top_" + t);
        for (int mi = 0; mi < MIDDLE_PER_TOP; mi++) {
          String middle = groupIds[g++] = principal(p, "GROUP", "grp_mid_" + t + "_" + mi);
          member(m, top, middle);
          for (int l = 0; l < LEAVES_PER_MIDDLE; l++) {
            String leafName = "grp_leaf_" + t + "_" + mi + "_" + l;
            String leaf = groupIds[g++] = principal(p, "GROUP", leafName);
            member(m, middle, leaf);
            leaves.add(leaf);
            leafNames.add(leafName);
          }
        }
      }
      principal(p, "USER", OWNER);
      principal(p, "USER", HALF_OWNER);
      for (int u = 0; u < userIds.length; u++) {
        userNames[u] = String.format("user%05d", u);
        userIds[u] = principal(p, "USER", userNames[u]);
        int memberships = 1 + random.nextInt(3);
        Set<String> chosen = new HashSet<>();
        while (chosen.size() < memberships) {
          chosen.add(leaves.get(random.nextInt(leaves.size())));
        }
        for (String leaf : chosen) {
          member(m, leaf, userIds[u]);
          if (u == 0) {
            halfUserPrincipals.addAll(ancestry(leaf));
          }
        }
        flushIfFull(p, u);
        flushIfFull(m, u);
      }
      halfUserPrincipals.add(userIds[0]);
      p.executeBatch();
      m.executeBatch();
    }
  }

  /** The leaf and the middle and top groups above it, from the fixed naming of the tree. */
  private Set<String> ancestry(String leafId) {
    int leafIndex = java.util.Arrays.asList(groupIds).indexOf(leafId);
    int perTop = 1 + MIDDLE_PER_TOP * (1 + LEAVES_PER_MIDDLE);
    int top = leafIndex / perTop * perTop;
    int middle = top + 1 + (leafIndex - top - 1) / (1 + LEAVES_PER_MIDDLE) * (1 + LEAVES_PER_MIDDLE);
    return Set.of(groupIds[leafIndex], groupIds[middle], groupIds[top]);
  }

  private void writeSecurables(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO securables (id, securable_type, parent_id, name,"
        + " full_name, owner, comment, properties, storage_root, storage_location, created_at, created_by,"
        + " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int n = 0;
      for (int ci = 0; ci < sizes.catalogs(); ci++) {
        String catalog = "cat" + ci;
        String catalogId = securable(p, SecurableType.CATALOG, SecurableRow.METASTORE_ID, catalog, catalog, OWNER);
        securables.add(new Sec(catalogId, SecurableType.CATALOG, catalogId, null, false));
        for (int si = 0; si < sizes.schemasPerCatalog(); si++) {
          String schema = catalog + ".sch" + si;
          String schemaId = securable(p, SecurableType.SCHEMA, catalogId, "sch" + si, schema, OWNER);
          securables.add(new Sec(schemaId, SecurableType.SCHEMA, catalogId, schemaId, false));
          for (int ti = 0; ti < sizes.tablesPerSchema(); ti++) {
            String name = String.format("tbl%04d", ti);
            String owner = random.nextBoolean() ? userNames[random.nextInt(userNames.length)]
                : leafNames.get(random.nextInt(leafNames.size()));
            String id = securable(p, SecurableType.TABLE, schemaId, name, schema + "." + name, owner);
            securables.add(new Sec(id, SecurableType.TABLE, catalogId, schemaId, false));
            tableIds.add(id);
            flushIfFull(p, ++n);
          }
        }
      }
      String benchId = securable(p, SecurableType.CATALOG, SecurableRow.METASTORE_ID, "bench", "bench", HALF_OWNER);
      securables.add(new Sec(benchId, SecurableType.CATALOG, benchId, null, true));
      insertSecurable(p, halfSchemaId, SecurableType.SCHEMA, benchId, "half", "bench.half", HALF_OWNER);
      p.addBatch();
      securables.add(new Sec(halfSchemaId, SecurableType.SCHEMA, benchId, halfSchemaId, true));
      for (int ti = 0; ti < sizes.halfTables(); ti++) {
        String name = String.format("t%05d", ti);
        String id = securable(p, SecurableType.TABLE, halfSchemaId, name, "bench.half." + name, HALF_OWNER);
        securables.add(new Sec(id, SecurableType.TABLE, benchId, halfSchemaId, true));
        halfTableIds.add(id);
        flushIfFull(p, ++n);
      }
      p.executeBatch();
    }
  }

  private void writeGrants(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO grants (securable_id, principal_id, privilege,"
        + " catalog_id, schema_id, granted_at, granted_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      String half = userIds[0];
      Sec benchCatalog = find(SecurableType.CATALOG, true);
      grant(p, benchCatalog, half, Privilege.USE_CATALOG);
      grant(p, find(SecurableType.SCHEMA, true), half, Privilege.USE_SCHEMA);
      int halfStart = securables.size() - halfTableIds.size();
      for (int i = 0; i < halfTableIds.size(); i += 2) {
        grant(p, securables.get(halfStart + i), half, Privilege.SELECT);
      }
      // The primary key is (securable, principal, privilege): draw until that many distinct triples.
      Set<Long> taken = new HashSet<>();
      int principals = userIds.length + groupIds.length;
      while (grantsWritten < sizes.grants()) {
        int s = random.nextInt(securables.size());
        Sec sec = securables.get(s);
        boolean toGroup = random.nextBoolean();
        int who = toGroup ? random.nextInt(groupIds.length) : random.nextInt(userIds.length);
        String principal = toGroup ? groupIds[who] : userIds[who];
        if (sec.inHalfCatalog() && halfUserPrincipals.contains(principal)) {
          continue; // the half user must see exactly the tables granted to it above
        }
        Privilege[] valid = privilegesByType.get(sec.type());
        Privilege privilege = valid[random.nextInt(valid.length)];
        long key = ((long) s * principals + (toGroup ? userIds.length + who : who)) * Privilege.values().length
            + privilege.ordinal();
        if (taken.add(key)) {
          grant(p, sec, principal, privilege);
          flushIfFull(p, (int) grantsWritten);
        }
      }
      p.executeBatch();
    }
  }

  private Sec find(SecurableType type, boolean inHalfCatalog) {
    return securables.stream().filter(s -> s.type() == type && s.inHalfCatalog() == inHalfCatalog).findFirst()
        .orElseThrow();
  }

  private void grant(PreparedStatement p, Sec sec, String principalId, Privilege privilege) throws SQLException {
    p.setString(1, sec.id());
    p.setString(2, principalId);
    p.setString(3, privilege.name());
    p.setString(4, sec.catalogId());
    p.setString(5, sec.schemaId());
    p.setLong(6, 1L);
    p.setString(7, OWNER);
    p.addBatch();
    grantsWritten++;
  }

  private String principal(PreparedStatement p, String type, String name) throws SQLException {
    String id = id();
    p.setString(1, id);
    p.setString(2, type);
    p.setString(3, name);
    p.setString(4, name);
    p.setString(5, name);
    p.setNull(6, Types.VARCHAR);
    p.setNull(7, Types.VARCHAR);
    p.setNull(8, Types.VARCHAR);
    p.setBoolean(9, true);
    p.setLong(10, 1L);
    p.setLong(11, 1L);
    p.addBatch();
    return id;
  }

  private static void member(PreparedStatement m, String groupId, String memberId) throws SQLException {
    m.setString(1, groupId);
    m.setString(2, memberId);
    m.addBatch();
  }

  private String securable(PreparedStatement p, SecurableType type, String parentId, String name, String fullName,
      String owner) throws SQLException {
    String id = id();
    insertSecurable(p, id, type, parentId, name, fullName, owner);
    p.addBatch();
    return id;
  }

  private static void insertSecurable(PreparedStatement p, String id, SecurableType type, String parentId,
      String name, String fullName, String owner) throws SQLException {
    p.setString(1, id);
    p.setString(2, type.name());
    p.setString(3, parentId);
    p.setString(4, name);
    p.setString(5, fullName);
    p.setString(6, owner);
    p.setNull(7, Types.VARCHAR);
    p.setNull(8, Types.VARCHAR);
    p.setNull(9, Types.VARCHAR);
    p.setNull(10, Types.VARCHAR);
    p.setLong(11, 1L);
    p.setString(12, owner);
    p.setLong(13, 1L);
    p.setString(14, owner);
  }

  /**
   * Sends a full batch and commits it: H2 keeps a transaction's undo log in its file, and one
   * transaction of a million grants grew a file database past 10 GB before it was half written.
   */
  private static void flushIfFull(PreparedStatement p, int count) throws SQLException {
    if (count % BATCH == 0) {
      p.executeBatch();
      p.getConnection().commit();
    }
  }

  private String id() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }
}
