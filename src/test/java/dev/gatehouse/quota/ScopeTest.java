package dev.gatehouse.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalType;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeTest {
  private final Caller alice = new Caller("p-alice", "Alice", PrincipalType.USER, "key-1", Set.of("g-1"),
      Set.of("Search-Team"), false);

  @Test
  void eachScopeTypeCoversTheCallsItNames() {
    assertThat(Scope.parse("global", null, null).covers(alice, "a.b.c")).isTrue();
    assertThat(Scope.parse("key", "key-1", null).covers(alice, "a.b.c")).isTrue();
    assertThat(Scope.parse("key", "key-2", null).covers(alice, "a.b.c")).isFalse();
    assertThat(Scope.parse("principal", "alice", null).covers(alice, "a.b.c")).isTrue();
    assertThat(Scope.parse("principal", "bob", null).covers(alice, "a.b.c")).isFalse();
    assertThat(Scope.parse("group", "search-team", null).covers(alice, "a.b.c")).isTrue();
    assertThat(Scope.parse("group", "other", null).covers(alice, "a.b.c")).isFalse();
  }

  @Test
  void aModelScopeCoversTheModelAndEverythingUnderASchemaOrCatalog() {
    assertThat(Scope.parse("model", "ml.llm.chat", null).covers(alice, "ml.llm.chat")).isTrue();
    assertThat(Scope.parse("model", "ML.LLM", null).covers(alice, "ml.llm.chat")).isTrue();
    assertThat(Scope.parse("model", "ml", null).covers(alice, "ml.llm.chat")).isTrue();
    assertThat(Scope.parse("model", "ml.llm.chat", null).covers(alice, "ml.llm.chatty")).isFalse();
    assertThat(Scope.parse("model", "ml.ll", null).covers(alice, "ml.llm.chat")).isFalse();
  }

  @Test
  void aPerMemberGroupScopeCountsEachMemberApart() {
    Scope shared = Scope.parse("group", "search-team", false);
    Scope perMember = Scope.parse("group", "search-team", true);
    Caller bob = new Caller("p-bob", "bob", PrincipalType.USER, "key-2", Set.of("g-1"), Set.of("search-team"), false);
    assertThat(shared.counterKey(alice)).isEqualTo(shared.counterKey(bob));
    assertThat(perMember.counterKey(alice)).isNotEqualTo(perMember.counterKey(bob));
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> Scope.parse(null, "x", null)).isInstanceOf(GatehouseException.class);
    assertThatThrownBy(() -> Scope.parse("team", "x", null)).isInstanceOf(GatehouseException.class);
    assertThatThrownBy(() -> Scope.parse("principal", "", null)).isInstanceOf(GatehouseException.class);
    assertThatThrownBy(() -> Scope.parse("global", "x", null)).isInstanceOf(GatehouseException.class);
    assertThatThrownBy(() -> Scope.parse("key", "k", true)).isInstanceOf(GatehouseException.class);
  }
}
