package dev.gatehouse.identity;

import static dev.gatehouse.testing.Rows.principal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestDatabases;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key check on a migrated database with a clock the test moves, so expiry needs no waiting. */
class ApiKeyAuthenticatorTest {
  private static final long T0 = 1_700_000_000_000L;

  private final MutableClock clock = new MutableClock(T0);
  private Jdbi jdbi;
  private PrincipalDao principals;
  private ApiKeyAuthenticator authenticator;
  private PrincipalRow user;

  @BeforeEach
  void setUp() {
    jdbi = TestDatabases.migrated();
    principals = jdbi.onDemand(PrincipalDao.class);
    user = principal(PrincipalType.USER, "ivy");
    principals.insert(user);
    // A long TTL: what this test sees of revokes and expiry must not depend on the cache running out.
    authenticator = new ApiKeyAuthenticator(jdbi, clock, Duration.ofHours(1));
  }

  @Test
  void aValidKeyResolvesToItsPrincipalAndGroups() {
    PrincipalRow admins = principal(PrincipalType.GROUP, Caller.ADMINS_GROUP);
    PrincipalRow ops = principal(PrincipalType.GROUP, "ops");
    principals.insert(admins);
    principals.insert(ops);
    principals.addMember(ops.id(), user.id());
    principals.addMember(admins.id(), ops.id());
    String key = newKey(null);

    Caller caller = authenticator.authenticate(key).orElseThrow();
    assertThat(caller.principalId()).isEqualTo(user.id());
    assertThat(caller.name()).isEqualTo("ivy");
    assertThat(caller.groupNames()).containsExactlyInAnyOrder("ops", "admins");
    assertThat(caller.admin()).as("admin through a nested group").isTrue();
  }

  @Test
  void aKeyStopsAtItsExpiryEvenWhileCached() {
    String key = newKey(T0 + 1_000);
    assertThat(authenticator.authenticate(key)).isPresent();
    clock.advanceMillis(999);
    assertThat(authenticator.authenticate(key)).isPresent();
    clock.advanceMillis(1);
    assertThat(authenticator.authenticate(key)).isEmpty();
  }

  @Test
  void anExpiredKeyIsRefusedOnFirstSight() {
    String key = newKey(T0 - 1);
    assertThat(authenticator.authenticate(key)).isEmpty();
  }

  @Test
  void aRevokedKeyIsRefusedOnceTheCacheIsCleared() {
    String key = newKey(null);
    assertThat(authenticator.authenticate(key)).isPresent();
    ApiKeyRow row = jdbi.onDemand(ApiKeyDao.class).findByPrefix(ApiKeySecrets.prefix(key)).orElseThrow();
    jdbi.onDemand(ApiKeyDao.class).revoke(row.id(), clock.millis());
    authenticator.invalidateAll();
    assertThat(authenticator.authenticate(key)).isEmpty();
  }

  @Test
  void anInactivePrincipalsKeyIsRefused() {
    String key = newKey(null);
    principals.update(new PrincipalRow(user.id(), user.principalType(), user.name(), user.displayName(), null, null,
        null, false, user.createdAt(), T0));
    assertThat(authenticator.authenticate(key)).isEmpty();
  }

  @Test
  void aKeyWithAKnownPrefixButAnotherSecretIsRefused() {
    String key = newKey(null);
    String forged = ApiKeySecrets.prefix(key) + "A".repeat(key.length() - ApiKeySecrets.PREFIX_LENGTH);
    assertThat(authenticator.authenticate(forged)).isEmpty();
    assertThat(authenticator.authenticate(key)).isPresent();
  }

  @Test
  void implausibleKeysAreRefused() {
    assertThat(authenticator.authenticate(null)).isEmpty();
    assertThat(authenticator.authenticate("short")).isEmpty();
    assertThat(authenticator.authenticate("x".repeat(10_000))).isEmpty();
  }

  @Test
  void useIsRecordedWithTheClocksTime() {
    String key = newKey(null);
    authenticator.authenticate(key);
    ApiKeyRow row = jdbi.onDemand(ApiKeyDao.class).findByPrefix(ApiKeySecrets.prefix(key)).orElseThrow();
    assertThat(row.lastUsedAt()).isEqualTo(T0);
  }

  private String newKey(Long expiresAt) {
    String key = ApiKeySecrets.newKey();
    jdbi.useTransaction(h -> ApiKeyService.insert(h, user.id(), "test", key, "admin", expiresAt, T0 - 10));
    return key;
  }
}
