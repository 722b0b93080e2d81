package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestDatabases;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * An instance links its next event to the head it last wrote, a guess that is stale when another
 * instance wrote since or its own last append rolled back; the chain stays whole in both cases.
 */
class AuditAppendTest {
  private final Jdbi jdbi = TestDatabases.migrated();
  /** Two logs over one database, as two instances are. */
  private final AuditLog first = new AuditLog(jdbi, Clock.systemUTC(), new ObjectMapper(), true);
  private final AuditLog second = new AuditLog(jdbi, Clock.systemUTC(), new ObjectMapper(), true);

  private static void append(AuditLog log, String name) {
    log.appendSystem("catalog", "createCatalog", "CATALOG", name, Map.of());
  }

  private List<String> newestFirst() {
    return first.page(AuditService.filter(null, null, null, null, null, null, null, null), null, 100).stream()
        .map(AuditEvent::fullName).toList();
  }

  @Test
  void instancesTakingTurnsFormOneChain() {
    append(first, "a");
    append(second, "b");
    append(second, "c");
    append(first, "d");
    append(first, "e");
    append(second, "f");

    AuditLog.Verification verdict = second.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(verdict.lastSeq()).isEqualTo(6);
    assertThat(newestFirst()).containsExactly("f", "e", "d", "c", "b", "a");
  }

  @Test
  void anAppendThatRolledBackIsNotLinkedTo() {
    append(first, "kept");
    assertThatThrownBy(() -> jdbi.useTransaction(h -> {
      first.append(h, new AuditContext("rolled-back", null, null), 200, null);
      throw new IllegalStateException("the change failed after its event was written");
    })).hasMessageContaining("the change failed");
    append(first, "next");

    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(verdict.lastSeq()).isEqualTo(2);
    assertThat(newestFirst()).containsExactly("next", "kept");
  }
}
