package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events staged by changes and linked after they commit, in rounds ({@link AuditChainer}): a change
 * in flight holds up no other, and events left staged are linked later.
 */
class AfterCommitLinkingTest extends AuditAppendTest {
  @Override
  AuditLog.Linking linking() {
    return AuditLog.Linking.AFTER_COMMIT;
  }

  /**
   * A change whose transaction is still open holds up nobody: its event is only staged, and the
   * chain's head is taken by the linking round after it commits. Whether it commits or rolls back,
   * the chain stays whole.
   */
  @ParameterizedTest(name = "the first commits: {0}")
  @ValueSource(booleans = {true, false})
  void anOpenTransactionDoesNotHoldUpTheNextAppend(boolean firstCommits) throws Exception {
    append(first, "before");
    try (OpenChange open = new OpenChange(first, "uncommitted", firstCommits)) {
      append(second, "next");
      assertThat(newestFirst()).containsExactly("next", "before");
      open.end();
    }

    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    // Linked in the order the changes committed, not the order they were staged in.
    assertThat(chainOrder()).containsExactlyElementsOf(
        firstCommits ? List.of("before", "next", "uncommitted") : List.of("before", "next"));
  }

  /** Events an instance staged but did not link (it stopped first) are linked when one starts. */
  @Test
  void eventsLeftStagedAreLinkedWhenAnInstanceStarts() throws Exception {
    append(first, "linked");
    jdbi.useTransaction(h -> first.append(h, context("left staged"), 200, null));
    assertThat(first.verify().lastSeq()).isEqualTo(1);

    second.chainer().start();
    try {
      AuditLog.Verification verdict = first.verify();
      assertThat(verdict.ok()).as(verdict.reason()).isTrue();
      assertThat(verdict.lastSeq()).isEqualTo(2);
      assertThat(newestFirst()).containsExactly("left staged", "linked");
      assertThat(stagedCount()).isZero();
    } finally {
      second.chainer().stop();
    }
  }

  /**
   * If linking fails the staged events wait, committed with their changes, and the append that
   * waited for them returns; the next round that succeeds links them in order.
   */
  @Test
  void eventsThatCannotBeLinkedYetStayStagedUntilTheyCan() {
    append(first, "a");
    jdbi.useHandle(h -> h.execute("ALTER TABLE audit_events ADD CONSTRAINT not_yet CHECK (full_name <> 'stuck')"));
    try {
      append(first, "stuck");
      assertThat(stagedCount()).isEqualTo(1);
      assertThat(first.verify().lastSeq()).isEqualTo(1);
    } finally {
      jdbi.useHandle(h -> h.execute("ALTER TABLE audit_events DROP CONSTRAINT not_yet"));
    }
    append(first, "c");
    AuditLog.Verification verdict = first.verify();
    assertThat(verdict.ok()).as(verdict.reason()).isTrue();
    assertThat(newestFirst()).containsExactly("c", "stuck", "a");
    assertThat(stagedCount()).isZero();
  }
}
