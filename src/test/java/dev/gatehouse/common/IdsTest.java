package dev.gatehouse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void timeOrderedIdsAreVersion7WithTheTimeFirst() {
    UUID id = UUID.fromString(Ids.newTimeOrderedId());
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    long millis = id.getMostSignificantBits() >>> 16;
    assertThat(millis).isBetween(System.currentTimeMillis() - 5_000, System.currentTimeMillis());
  }

  @Test
  void theirTextSortsByCreationTime() {
    List<String> ids = new ArrayList<>();
    for (long ms = 1_700_000_000_000L; ms < 1_700_000_000_000L + 2_000; ms += 7) {
      ids.add(Ids.timeOrdered(ms, -1L, -1L).toString());   // all random bits set: the largest in its ms
      ids.add(Ids.timeOrdered(ms + 1, 0L, 0L).toString()); // none set: the smallest in the next ms
    }
    assertThat(ids).isSorted();
  }

  @Test
  void theyDoNotRepeat() {
    var seen = new HashSet<String>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(Ids.newTimeOrderedId())).isTrue();
    }
  }
}
