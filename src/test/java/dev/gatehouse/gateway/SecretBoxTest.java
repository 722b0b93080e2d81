package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.testing.TestServer;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private final SecretBox box = SecretBox.fromMasterKey(TestServer.MASTER_KEY);

  @Test
  void sealsAndOpensBoundToItsOwner() {
    String sealed = box.seal("sk-live-secret", "row-1");
    assertThat(sealed).doesNotContain("sk-live-secret");
    assertThat(box.seal("sk-live-secret", "row-1")).isNotEqualTo(sealed); // fresh IV each time
    assertThat(box.open(sealed, "row-1")).isEqualTo("sk-live-secret");
    assertThatThrownBy(() -> box.open(sealed, "row-2")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anotherMasterKeyCannotOpen() {
    String sealed = box.seal("sk-live-secret", "row-1");
    SecretBox other = SecretBox.fromMasterKey("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");
    assertThatThrownBy(() -> other.open(sealed, "row-1")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withoutMasterKeySecretsAreRefused() {
    SecretBox none = SecretBox.fromMasterKey("");
    assertThat(none.enabled()).isFalse();
    assertThatThrownBy(() -> none.seal("x", "row")).isInstanceOf(GatehouseException.class)
        .hasMessageContaining("GATEHOUSE_MASTER_KEY");
  }

  @Test
  void malformedMasterKeysAreRejectedAtStart() {
    assertThatThrownBy(() -> SecretBox.fromMasterKey("not base64!")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SecretBox.fromMasterKey("c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class);
  }
}
