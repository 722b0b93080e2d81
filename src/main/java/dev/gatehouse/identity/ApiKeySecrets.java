package dev.gatehouse.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Key material. A key is {@code ghk_} followed by 256 random bits in base64url; the first 12
 * characters are its prefix (shown to users, unique, the lookup key), the SHA-256 of the whole key is
 * what is stored. A fast hash is enough: with 256 bits of entropy there is nothing to brute-force.
 */
public final class ApiKeySecrets {
  public static final String KEY_PREFIX = "ghk_";
  public static final int PREFIX_LENGTH = 12;
  public static final int MIN_KEY_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  public static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String prefix(String key) {
    return key.substring(0, PREFIX_LENGTH);
  }

  public static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares two hex hashes in time independent of where they differ. */
  public static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  public static boolean plausible(String key) {
    return key != null && key.length() >= MIN_KEY_LENGTH && key.length() <= 512;
  }
}
