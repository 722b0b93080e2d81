package dev.gatehouse.identity;

import static dev.gatehouse.testing.Rows.principal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.DuplicateKeys;
import dev.gatehouse.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyDaoTest {
  private static final long MINUTE = 60_000;

  private Jdbi jdbi;
  private ApiKeyDao keys;
  private PrincipalRow owner;

  @BeforeEach
  void freshDatabase() {
    jdbi = TestDatabases.migrated();
    keys = jdbi.onDemand(ApiKeyDao.class);
    owner = principal(PrincipalType.USER, "owner");
    jdbi.onDemand(PrincipalDao.class).insert(owner);
  }

  @Test
  void findsAKeyByItsPrefixAndStoresOnlyTheHash() {
    String secret = ApiKeySecrets.newKey();
    ApiKeyRow row = jdbi.inTransaction(h -> ApiKeyService.insert(h, owner.id(), "ci", secret, "admin", null, 5));
    ApiKeyRow found = keys.findByPrefix(ApiKeySecrets.prefix(secret)).orElseThrow();
    assertThat(found).isEqualTo(row);
    assertThat(found.secretHash()).isEqualTo(ApiKeySecrets.hash(secret));
    assertThat(found.toString()).doesNotContain(secret);
    assertThat(keys.findByPrefix("ghk_missing0")).isEmpty();
  }

  @Test
  void prefixesAreUnique() {
    ApiKeyRow first = key("one");
    DuplicateKeys.assertDuplicateKey(() -> keys.insert(new ApiKeyRow("other-id", owner.id(), "two", first.prefix(),
        "f".repeat(64), 1, "admin", null, null, null)));
  }

  @Test
  void revokeSetsTheTimeOnce() {
    ApiKeyRow row = key("doomed");
    assertThat(row.usableAt(100)).isTrue();
    assertThat(keys.revoke(row.id(), 100)).isEqualTo(1);
    assertThat(keys.revoke(row.id(), 200)).isZero();
    ApiKeyRow revoked = keys.findById(row.id()).orElseThrow();
    assertThat(revoked.revokedAt()).isEqualTo(100);
    assertThat(revoked.usableAt(150)).isFalse();
  }

  @Test
  void revokeAllOfTouchesOnlyThatPrincipal() {
    PrincipalRow other = principal(PrincipalType.SERVICE_PRINCIPAL, "other");
    jdbi.onDemand(PrincipalDao.class).insert(other);
    key("a");
    key("b");
    ApiKeyRow theirs = jdbi.inTransaction(h ->
        ApiKeyService.insert(h, other.id(), "c", ApiKeySecrets.newKey(), "admin", null, 1));
    assertThat(keys.revokeAllOf(owner.id(), 50)).isEqualTo(2);
    assertThat(keys.findById(theirs.id()).orElseThrow().revokedAt()).isNull();
  }

  @Test
  void touchRecordsUseAtMostOncePerInterval() {
    ApiKeyRow row = key("busy");
    long t0 = 1_000_000;
    assertThat(keys.touch(row.id(), t0, MINUTE)).isEqualTo(1);
    assertThat(keys.touch(row.id(), t0 + 1, MINUTE)).isZero();
    assertThat(keys.touch(row.id(), t0 + MINUTE, MINUTE)).isZero();
    assertThat(keys.findById(row.id()).orElseThrow().lastUsedAt()).isEqualTo(t0);
    assertThat(keys.touch(row.id(), t0 + MINUTE + 1, MINUTE)).isEqualTo(1);
    assertThat(keys.findById(row.id()).orElseThrow().lastUsedAt()).isEqualTo(t0 + MINUTE + 1);
  }

  @Test
  void expiryIsExclusive() {
    ApiKeyRow row = new ApiKeyRow("id", owner.id(), "n", "ghk_abcdefgh", "0".repeat(64), 1, "admin", 500L, null, null);
    assertThat(row.usableAt(499)).isTrue();
    assertThat(row.usableAt(500)).isFalse();
  }

  @Test
  void listsAPrincipalsKeysInIdPages() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(key("k" + i).id());
    }
    ids.sort(null);
    List<ApiKeyRow> first = keys.listByPrincipal(owner.id(), null, 3);
    assertThat(first).extracting(ApiKeyRow::id).containsExactlyElementsOf(ids.subList(0, 3));
    List<ApiKeyRow> rest = keys.listByPrincipal(owner.id(), first.get(2).id(), 3);
    assertThat(rest).extracting(ApiKeyRow::id).containsExactlyElementsOf(ids.subList(3, 5));
    assertThat(keys.listAll(null, 100)).hasSize(5);
  }

  @Test
  void deletingThePrincipalDeletesItsKeys() {
    ApiKeyRow row = key("gone");
    jdbi.onDemand(PrincipalDao.class).delete(owner.id());
    assertThat(keys.findById(row.id())).isEmpty();
  }

  private ApiKeyRow key(String name) {
    return jdbi.inTransaction(h -> ApiKeyService.insert(h, owner.id(), name, ApiKeySecrets.newKey(), "admin", null, 1));
  }
}
