package dev.gatehouse.gateway;

import dev.gatehouse.common.GatehouseException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts provider secrets with AES-256-GCM under the master key. A fresh 96-bit IV per secret;
 * the owning row's id is the associated data, so a ciphertext copied onto another row fails to open.
 */
public final class SecretBox {
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(SecretKeySpec key) {
    this.key = key;
  }

  /** From the configured master key (base64 of 32 bytes); an empty one gives a box that refuses. */
  public static SecretBox fromMasterKey(String base64) {
    if (base64 == null || base64.isBlank()) {
      return new SecretBox(null);
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("GATEHOUSE_MASTER_KEY must be base64 of 32 random bytes");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException("GATEHOUSE_MASTER_KEY must be base64 of 32 random bytes, not " + raw.length);
    }
    return new SecretBox(new SecretKeySpec(raw, "AES"));
  }

  public String seal(String secret, String ownerId) {
    requireKey();
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(ownerId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[IV_BYTES + sealed.length];
      System.arraycopy(iv, 0, out, 0, IV_BYTES);
      System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
      return Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  public String open(String sealed, String ownerId) {
    requireKey();
    try {
      byte[] in = Base64.getDecoder().decode(sealed);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      cipher.updateAAD(ownerId.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a stored secret does not open with the configured master key", e);
    }
  }

  public boolean enabled() {
    return key != null;
  }

  private void requireKey() {
    if (key == null) {
      throw GatehouseException.invalid("Storing or using a provider api_key needs GATEHOUSE_MASTER_KEY "
          + "(base64 of 32 random bytes) in the server's configuration.");
    }
  }
}
