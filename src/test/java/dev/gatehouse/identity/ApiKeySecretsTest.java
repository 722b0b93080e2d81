package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {
  @Test
  void keysAreRecognizableAndCarry256RandomBits() {
    String key = ApiKeySecrets.newKey();
    assertThat(key).startsWith("ghk_").matches("ghk_[A-Za-z0-9_-]+");
    byte[] random = Base64.getUrlDecoder().decode(key.substring("ghk_".length()));
    assertThat(random).hasSize(32);
    assertThat(ApiKeySecrets.plausible(key)).isTrue();
  }

  @Test
  void keysDoNotRepeat() {
    Set<String> keys = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String key = ApiKeySecrets.newKey();
      keys.add(key);
      prefixes.add(ApiKeySecrets.prefix(key));
    }
    assertThat(keys).hasSize(1000);
    // the prefix is the lookup key: 8 random characters (48 bits) after "ghk_" must not collide here
    assertThat(prefixes).hasSize(1000);
  }

  @Test
  void prefixIsTheFirstTwelveCharacters() {
    String key = ApiKeySecrets.newKey();
    assertThat(ApiKeySecrets.prefix(key)).hasSize(12).isEqualTo(key.substring(0, 12));
    assertThat(key).startsWith(ApiKeySecrets.prefix(key));
  }

  @Test
  void hashIsHexSha256OfTheWholeKey() {
    assertThat(ApiKeySecrets.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    String key = ApiKeySecrets.newKey();
    assertThat(ApiKeySecrets.hash(key)).hasSize(64).matches("[0-9a-f]+").isEqualTo(ApiKeySecrets.hash(key))
        .doesNotContain(key.substring(4, 12));
    assertThat(ApiKeySecrets.hash(key + "x")).isNotEqualTo(ApiKeySecrets.hash(key));
  }

  @Test
  void hashCompareMatchesOnlyTheSameHash() {
    String hash = ApiKeySecrets.hash(ApiKeySecrets.newKey());
    assertThat(ApiKeySecrets.sameHash(hash, new String(hash.toCharArray()))).isTrue();
    assertThat(ApiKeySecrets.sameHash(hash, flip(hash, 0))).isFalse();
    assertThat(ApiKeySecrets.sameHash(hash, flip(hash, 63))).isFalse();
    assertThat(ApiKeySecrets.sameHash(hash, hash.substring(0, 63))).isFalse();
    assertThat(ApiKeySecrets.sameHash(hash, "")).isFalse();
  }

  @Test
  void plausibleBoundsTheLengthBeforeAnyHashing() {
    assertThat(ApiKeySecrets.plausible(null)).isFalse();
    assertThat(ApiKeySecrets.plausible("x".repeat(31))).isFalse();
    assertThat(ApiKeySecrets.plausible("x".repeat(32))).isTrue();
    assertThat(ApiKeySecrets.plausible("x".repeat(512))).isTrue();
    assertThat(ApiKeySecrets.plausible("x".repeat(513))).isFalse();
  }

  private static String flip(String hex, int index) {
    char c = hex.charAt(index) == '0' ? '1' : '0';
    return hex.substring(0, index) + c + hex.substring(index + 1);
  }
}
