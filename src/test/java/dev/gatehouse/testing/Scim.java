package dev.gatehouse.testing;

import dev.gatehouse.client.model.ScimPatchOperation;
import dev.gatehouse.client.model.ScimPatchRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** SCIM PATCH bodies as a SCIM client would send them. */
public final class Scim {
  public static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  private Scim() {}

  /** A request of one operation. */
  public static ScimPatchRequest patch(String op, String path, Object value) {
    return patch(op(op, path, value));
  }

  public static ScimPatchRequest patch(ScimPatchOperation... operations) {
    return new ScimPatchRequest().schemas(List.of(PATCH_SCHEMA)).operations(List.of(operations));
  }

  public static ScimPatchOperation op(String op, String path, Object value) {
    return new ScimPatchOperation().op(op).path(path).value(value);
  }

  /** The value of a members operation: [{"value": id}, ...]. */
  public static List<Map<String, String>> members(String... ids) {
    return Arrays.stream(ids).map(id -> Map.of("value", id)).toList();
  }
}
