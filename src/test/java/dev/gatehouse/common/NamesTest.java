package dev.gatehouse.common;

import static dev.gatehouse.testing.ApiAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void namesAreStoredLowerCase() {
    assertThat(Names.normalize("name", "Sales_2024")).isEqualTo("sales_2024");
    assertThat(Names.normalize("name", "x".repeat(255))).hasSize(255);
    assertThat(Names.normalize("name", "_")).isEqualTo("_");
  }

  @Test
  void onlyLettersDigitsAndUnderscoreUpTo255() {
    for (String bad : Arrays.asList(null, "", " ", "a b", "a.b", "a-b", "a;b", "a/b", "../x", "é", "a\nb",
        "x".repeat(256))) {
      assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> Names.normalize("name", bad));
    }
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> Names.normalize("catalog_name", "a b")).hasMessageContaining("'catalog_name'");
    assertThatThrownBy(() -> Names.normalize("new_name", null)).hasMessageContaining("'new_name' is required");
  }

  @Test
  void fullNamesSplitIntoValidatedParts() {
    assertThat(Names.parseFullName("full_name", "Main.Default", 2)).containsExactly("main", "default");
    for (String bad : Arrays.asList(null, "", "main", "main.", ".default", "a.b.c", "main.de fault", "main..x")) {
      assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> Names.parseFullName("full_name", bad, 2));
    }
  }

  @Test
  void commentsAreBounded() {
    assertThat(Names.comment(null)).isNull();
    assertThat(Names.comment("c".repeat(Names.MAX_COMMENT_LENGTH))).hasSize(Names.MAX_COMMENT_LENGTH);
    assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> Names.comment("c".repeat(Names.MAX_COMMENT_LENGTH + 1)));
  }
}
