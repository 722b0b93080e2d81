package dev.gatehouse.common;

import static dev.gatehouse.testing.ApiAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageRequestTest {
  @Test
  void absentOrZeroMeansTheDefaultPageSize() {
    assertThat(PageRequest.of(null, null).limit()).isEqualTo(PageRequest.DEFAULT_PAGE_SIZE);
    assertThat(PageRequest.of(0, null).limit()).isEqualTo(PageRequest.DEFAULT_PAGE_SIZE);
    assertThat(PageRequest.of(null, null).after()).isNull();
  }

  @Test
  void sizesAboveTheCapAreClamped() {
    assertThat(PageRequest.of(1, null).limit()).isEqualTo(1);
    assertThat(PageRequest.of(1000, null).limit()).isEqualTo(1000);
    assertThat(PageRequest.of(1001, null).limit()).isEqualTo(1000);
    assertThat(PageRequest.of(Integer.MAX_VALUE, null).limit()).isEqualTo(1000);
  }

  @Test
  void negativeSizesAreRejected() {
    assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> PageRequest.of(-1, null));
    assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> PageRequest.of(Integer.MIN_VALUE, null));
  }

  @Test
  void tokensCarryTheLastKeyServed() {
    String token = PageRequest.token("sales_2024");
    assertThat(token).doesNotContain("sales");
    assertThat(PageRequest.of(10, token).after()).isEqualTo("sales_2024");
    assertThat(PageRequest.of(10, "").after()).isNull();
  }

  @Test
  void tokensTheServerCannotHaveIssuedAreRejected() {
    for (String bad : List.of("not base64 !!", "%%%", "a+b/c==", "abcde")) {
      assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> PageRequest.of(10, bad));
    }
  }

  @Test
  void queriesFetchOneMoreRowThanThePage() {
    assertThat(PageRequest.of(10, null).fetchSize()).isEqualTo(11);
  }

  @Test
  void pageHasANextTokenOnlyWhenMoreRowsFollow() {
    PageRequest request = PageRequest.of(2, null);
    Page<String> last = Page.of(List.of("a", "b"), request, s -> s);
    assertThat(last.items()).containsExactly("a", "b");
    assertThat(last.nextPageToken()).isNull();

    Page<String> first = Page.of(List.of("a", "b", "c"), request, s -> s);
    assertThat(first.items()).containsExactly("a", "b");
    assertThat(PageRequest.of(2, first.nextPageToken()).after()).isEqualTo("b");
  }
}
