package dev.gatehouse.lineage;

import dev.gatehouse.securable.SecurableRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One end of an edge being recorded, resolved: a securable, or a dataset outside the catalog. */
record Node(NodeType type, SecurableRow row, String namespace, String name) {
  static Node of(SecurableRow row) {
    return new Node(NodeType.of(row.securableType()), row, null, row.fullName());
  }

  static Node external(String namespace, String name) {
    return new Node(NodeType.EXTERNAL, null, namespace, name);
  }

  /**
   * lineage_nodes.node_key: a securable's id (so a dropped and re-created table is a new node), or a
   * hash of namespace and name, which may be far longer than an index entry can hold.
   */
  String key() {
    return row != null ? row.id() : "x:" + sha256(namespace + "\n" + name);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
