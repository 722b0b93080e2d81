package dev.gatehouse.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import dev.gatehouse.testing.TestDatabases;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How OpenLineage dataset names map to securables, with and without namespace rules, on a migrated database. */
class LineageDatasetMappingTest {
  static Jdbi jdbi;

  @BeforeAll
  static void securables() {
    jdbi = TestDatabases.migrated();
    jdbi.useHandle(h -> {
      SecurableDao dao = h.attach(SecurableDao.class);
      String catalog = insert(dao, SecurableType.CATALOG, SecurableRow.METASTORE_ID, "wh", "wh");
      String schema = insert(dao, SecurableType.SCHEMA, catalog, "public", "wh.public");
      insert(dao, SecurableType.TABLE, schema, "orders", "wh.public.orders");
      insert(dao, SecurableType.VOLUME, schema, "files", "wh.public.files");
      String model = insert(dao, SecurableType.REGISTERED_MODEL, schema, "m", "wh.public.m");
      insert(dao, SecurableType.MODEL_VERSION, model, "3", "wh.public.m.3");
    });
  }

  private static String insert(SecurableDao dao, SecurableType type, String parent, String name, String fullName) {
    String id = UUID.randomUUID().toString();
    dao.insert(new SecurableRow(id, type, parent, name, fullName, "admin", null, null, null, null, 1L, "admin", 1L,
        "admin"));
    return id;
  }

  private static Node map(LineageConfig config, String namespace, String name, boolean output) {
    return jdbi.withHandle(h -> new DatasetMapper(config).map(h, namespace, name, output));
  }

  @Test
  void fullNamesMapWhateverTheNamespaceAndCase() {
    LineageConfig config = new LineageConfig();
    assertThat(map(config, "s3://any", "WH.Public.Orders", true).row().fullName()).isEqualTo("wh.public.orders");
    assertThat(map(config, "hdfs://x", "wh.public.files", false).type()).isEqualTo(NodeType.VOLUME);
    // a volume is no output: writing one is outside what an edge may target, so it stays a dataset
    assertThat(map(config, "hdfs://x", "wh.public.files", true).type()).isEqualTo(NodeType.EXTERNAL);
    assertThat(map(config, "models", "wh.public.m.3", true).type()).isEqualTo(NodeType.MODEL_VERSION);
    assertThat(map(config, "s3://any", "wh.public.missing", true).type()).isEqualTo(NodeType.EXTERNAL);
    assertThat(map(config, "s3://any", "path/to/file.csv", false).type()).isEqualTo(NodeType.EXTERNAL);
    assertThat(map(config, "s3://any", "wh.public.or-ders", false).type()).isEqualTo(NodeType.EXTERNAL);
  }

  @Test
  void namespaceRulesRewriteNamesFirst() {
    LineageConfig config = new LineageConfig().withNamespaces(List.of(
        new LineageConfig.NamespaceRule("postgres://db:5432", "analytics.", "wh."),
        new LineageConfig.NamespaceRule("kafka://*", null, "wh.public.")));
    Node pg = map(config, "postgres://db:5432", "analytics.public.orders", true);
    assertThat(pg.row().fullName()).isEqualTo("wh.public.orders");
    assertThat(map(config, "kafka://broker-1:9092", "orders", false).row().fullName()).isEqualTo("wh.public.orders");
    // another namespace is not rewritten, and the name alone matches nothing
    assertThat(map(config, "postgres://other:5432", "analytics.public.orders", true).type()).isEqualTo(NodeType.EXTERNAL);
    // a rule that matches but finds nothing falls back to the full-name match
    assertThat(map(config, "postgres://db:5432", "wh.public.orders", true).row().fullName()).isEqualTo("wh.public.orders");
  }

  @Test
  void fullNameMatchingCanBeSwitchedOff() throws Exception {
    LineageConfig config = new com.fasterxml.jackson.databind.ObjectMapper()
        .readValue("{\"matchFullNames\": false, \"edgeEventTypes\": \"complete, fail\"}", LineageConfig.class);
    assertThat(map(config, "s3://any", "wh.public.orders", true).type()).isEqualTo(NodeType.EXTERNAL);
    assertThat(config.edgeEventTypes()).containsExactlyInAnyOrder("COMPLETE", "FAIL");
  }

  @Test
  void externalNodesAreKeyedByNamespaceAndName() {
    assertThat(Node.external("s3://a", "b/c").key()).isEqualTo(Node.external("s3://a", "b/c").key())
        .isNotEqualTo(Node.external("s3://a/b", "c").key()).hasSizeLessThanOrEqualTo(80);
  }
}
