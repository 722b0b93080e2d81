package dev.gatehouse.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The hash chain: an event's hash is SHA-256 of the previous hash and the event's canonical form,
 * a JSON array of its fields in a fixed order. Changing, removing or reordering any stored event
 * breaks every hash after it.
 */
public final class AuditChain {
  public static final String GENESIS = "0".repeat(64);
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditChain() {}

  public static String hash(AuditEvent e, String prevHash) {
    Object[] fields = {e.seq(), e.eventId(), e.eventTime(), e.requestId(), e.actorName(), e.actorType(),
        e.apiKeyId(), e.sourceIp(), e.userAgent(), e.service(), e.actionName(), e.securableType(), e.fullName(),
        e.requestParams(), e.details(), e.statusCode(), e.errorCode(), prevHash};
    try {
      byte[] canonical = JSON.writeValueAsBytes(Arrays.asList(fields));
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) '\n');
      return HexFormat.of().formatHex(sha.digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e2) {
      throw new IllegalStateException(e2);
    }
  }

  /** The draft's content placed at chain position {@code seq}, after {@code prevHash}, with its hash. */
  public static AuditEvent link(AuditEvent draft, long seq, String prevHash) {
    return placed(draft, seq, prevHash, hash(placed(draft, seq, prevHash, null), prevHash));
  }

  private static AuditEvent placed(AuditEvent d, long seq, String prevHash, String hash) {
    return new AuditEvent(seq, d.eventId(), d.eventTime(), d.requestId(), d.actorName(), d.actorType(), d.apiKeyId(),
        d.sourceIp(), d.userAgent(), d.service(), d.actionName(), d.securableType(), d.fullName(),
        d.requestParams(), d.details(), d.statusCode(), d.errorCode(), prevHash, hash);
  }

  /** Whether the stored event's hash matches its content and the given previous hash. */
  public static boolean intact(AuditEvent e, String expectedPrevHash) {
    return e.prevHash().equals(expectedPrevHash) && e.hash().equals(hash(e, expectedPrevHash));
  }
}
