package dev.gatehouse.identity;

import static dev.gatehouse.testing.ApiAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatehouse.api.model.ScimPatchOperation;
import dev.gatehouse.common.ErrorCode;
import dev.gatehouse.identity.ScimPatch.Kind;
import dev.gatehouse.identity.ScimPatch.Operation;
import dev.gatehouse.identity.ScimPatch.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScimPatchTest {
  @Test
  void addsAndRemovesMembersByValue() {
    List<Operation> ops = ScimPatch.read(List.of(
        op("add", "members", members("u1", "u2")),
        op("Remove", "members", members("u3"))));
    assertThat(ops).containsExactly(
        new Operation(Kind.ADD, Target.MEMBERS, List.of("u1", "u2"), members("u1", "u2")),
        new Operation(Kind.REMOVE, Target.MEMBERS, List.of("u3"), members("u3")));
  }

  @Test
  void aSingleMemberObjectIsAcceptedWithoutAList() {
    Operation op = ScimPatch.read(List.of(op("add", "members", Map.of("value", "u1")))).get(0);
    assertThat(op.memberIds()).containsExactly("u1");
  }

  @Test
  void replaceSetsTheWholeMemberList() {
    assertThat(ScimPatch.read(List.of(op("replace", "members", members("u9")))).get(0))
        .extracting(Operation::kind, Operation::memberIds)
        .containsExactly(Kind.REPLACE, List.of("u9"));
    // replace with no value empties the group
    assertThat(ScimPatch.read(List.of(op("replace", "members", null))).get(0).memberIds()).isEmpty();
  }

  @Test
  void removesOneMemberByFilterPath() {
    Operation op = ScimPatch.read(List.of(op("remove", "members[value eq \"abc-123\"]", null))).get(0);
    assertThat(op.kind()).isEqualTo(Kind.REMOVE);
    assertThat(op.target()).isEqualTo(Target.MEMBERS);
    assertThat(op.memberIds()).containsExactly("abc-123");

    Operation spaced = ScimPatch.read(List.of(op("remove", " Members[ VALUE eq \"x\" ] ", null))).get(0);
    assertThat(spaced.memberIds()).containsExactly("x");
  }

  @Test
  void aPathlessObjectValueIsOneOperationPerAttribute() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("displayName", "New Name");
    value.put("active", false);
    List<Operation> ops = ScimPatch.read(List.of(op("replace", null, value)));
    assertThat(ops).extracting(Operation::kind, Operation::target)
        .containsExactly(
            tuple(Kind.REPLACE, Target.DISPLAY_NAME),
            tuple(Kind.REPLACE, Target.ACTIVE));
    assertThat(ops.get(0).text()).isEqualTo("New Name");
    assertThat(ops.get(1).bool()).isFalse();
  }

  @Test
  void readsScalarValues() {
    assertThat(ScimPatch.read(List.of(op("replace", "active", "TRUE"))).get(0).bool()).isTrue();
    assertThat(ScimPatch.read(List.of(op("replace", "emails", List.of(Map.of("value", "a@b.c"))))).get(0).text())
        .isEqualTo("a@b.c");
    assertFailsWith(ErrorCode.INVALID_ARGUMENT,
        () -> ScimPatch.read(List.of(op("replace", "active", "maybe"))).get(0).bool());
    assertFailsWith(ErrorCode.INVALID_ARGUMENT,
        () -> ScimPatch.read(List.of(op("replace", "displayName", 5))).get(0).text());
  }

  @Test
  void rejectsBadOperations() {
    List<List<ScimPatchOperation>> bad = new ArrayList<>();
    bad.add(null);
    bad.add(List.of());
    bad.add(List.of(op(null, "members", members("u1"))));
    bad.add(List.of(op("move", "members", members("u1"))));
    bad.add(List.of(op("add", "userName", "x")));
    bad.add(List.of(op("add", "members", null)));
    bad.add(List.of(op("remove", "members", null)));
    bad.add(List.of(op("add", "members", List.of("u1"))));
    bad.add(List.of(op("add", "members", List.of(Map.of("value", "")))));
    bad.add(List.of(op("add", "members", List.of(Map.of("display", "u1")))));
    bad.add(List.of(op("add", "members[value eq \"u1\"]", null)));
    bad.add(List.of(op("remove", "displayName", null)));
    bad.add(List.of(op("remove", "active", null)));
    bad.add(List.of(op("replace", null, "a string")));
    bad.add(List.of(op("remove", null, Map.of("displayName", "x"))));
    bad.add(Collections.nCopies(1001, op("add", "members", members("u1"))));
    for (List<ScimPatchOperation> operations : bad) {
      assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> ScimPatch.read(operations));
    }
  }

  private static ScimPatchOperation op(String op, String path, Object value) {
    return new ScimPatchOperation().op(op).path(path).value(value);
  }

  private static List<Map<String, String>> members(String... ids) {
    return Arrays.stream(ids).map(id -> Map.of("value", id)).toList();
  }
}
