package dev.gatehouse.securable;

import static dev.gatehouse.testing.Rows.catalog;
import static dev.gatehouse.testing.Rows.schema;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.DuplicateKeys;
import dev.gatehouse.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecurableDaoTest {
  private SecurableDao dao;

  @BeforeEach
  void freshDatabase() {
    Jdbi jdbi = TestDatabases.migrated();
    dao = jdbi.onDemand(SecurableDao.class);
  }

  @Test
  void theMetastoreIsThereAfterMigration() {
    SecurableRow metastore = dao.findById(SecurableRow.METASTORE_ID).orElseThrow();
    assertThat(metastore.securableType()).isEqualTo(SecurableType.METASTORE);
    assertThat(metastore.owner()).isEqualTo("admins");
  }

  @Test
  void findsByTypeAndFullName() {
    SecurableRow sales = insert(catalog("sales"));
    SecurableRow raw = insert(schema(sales, "raw"));
    assertThat(dao.find(SecurableType.CATALOG, "sales")).contains(sales);
    assertThat(dao.find(SecurableType.SCHEMA, "sales.raw")).contains(raw);
    assertThat(dao.find(SecurableType.SCHEMA, "sales")).isEmpty();
    DuplicateKeys.assertDuplicateKey(() -> dao.insert(catalog("sales")));
  }

  @Test
  void keysetPagesAreCompleteAndUnshiftedByConcurrentInserts() {
    SecurableRow parent = insert(catalog("parent"));
    for (int i = 0; i < 25; i++) {
      insert(schema(parent, String.format("s%02d", i)));
    }
    insert(catalog("not_a_schema_of_parent"));

    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    while (true) {
      List<SecurableRow> rows = dao.listChildren(parent.id(), SecurableType.SCHEMA, after, 11);
      List<SecurableRow> page = rows.subList(0, Math.min(10, rows.size()));
      page.forEach(r -> seen.add(r.name()));
      pages++;
      if (pages == 1) {
        insert(schema(parent, "a_before_the_cursor"));
        insert(schema(parent, "z_after_the_cursor"));
      }
      if (rows.size() <= 10) {
        break;
      }
      after = page.get(page.size() - 1).name();
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(26).doesNotHaveDuplicates().doesNotContain("a_before_the_cursor")
        .contains("z_after_the_cursor");
    assertThat(seen.subList(0, 25)).isSorted();
  }

  @Test
  void renameRewritesDescendantsOnly() {
    SecurableRow old = insert(catalog("old"));
    insert(schema(old, "one"));
    insert(schema(old, "two"));
    SecurableRow older = insert(catalog("older"));
    insert(schema(older, "three"));

    dao.update(old.withUpdate("new", "new", old.owner(), old.comment(), old.properties(), 2_000, "admin"));
    assertThat(dao.renameDescendants("old.", 4, "new.")).isEqualTo(2);

    assertThat(dao.find(SecurableType.CATALOG, "new")).isPresent();
    assertThat(dao.find(SecurableType.SCHEMA, "new.one")).isPresent();
    assertThat(dao.find(SecurableType.SCHEMA, "new.two")).isPresent();
    assertThat(dao.find(SecurableType.SCHEMA, "old.one")).isEmpty();
    assertThat(dao.find(SecurableType.SCHEMA, "older.three")).isPresent();
    assertThat(dao.findById(SecurableRow.METASTORE_ID).orElseThrow().fullName()).isEqualTo("metastore");
  }

  @Test
  void deleteCascadesToEverythingBeneath() {
    SecurableRow doomed = insert(catalog("doomed"));
    SecurableRow inner = insert(schema(doomed, "inner"));
    SecurableRow kept = insert(catalog("kept"));
    SecurableRow keptInner = insert(schema(kept, "inner"));
    assertThat(dao.hasChildren(doomed.id())).isTrue();
    assertThat(dao.hasChildren(inner.id())).isFalse();

    assertThat(dao.delete(doomed.id())).isEqualTo(1);
    assertThat(dao.findById(doomed.id())).isEmpty();
    assertThat(dao.findById(inner.id())).isEmpty();
    assertThat(dao.findById(keptInner.id())).isPresent();
  }

  private SecurableRow insert(SecurableRow row) {
    dao.insert(row);
    return row;
  }
}
