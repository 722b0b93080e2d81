package dev.gatehouse.identity;

import static dev.gatehouse.testing.ApiAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.common.ErrorCode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScimFilterTest {
  private static final Set<String> USER_ATTRIBUTES = Set.of("userName", "displayName");

  @Test
  void absentFilterMeansNoFilter() {
    assertThat(ScimFilter.parse(null, USER_ATTRIBUTES)).isNull();
    assertThat(ScimFilter.parse("  ", USER_ATTRIBUTES)).isNull();
  }

  @Test
  void parsesEqualityOnAnAllowedAttribute() {
    assertThat(ScimFilter.parse("userName eq \"Alice\"", USER_ATTRIBUTES))
        .isEqualTo(new ScimFilter("userName", "Alice"));
    assertThat(ScimFilter.parse("displayName eq \"Alice Smith\"", USER_ATTRIBUTES))
        .isEqualTo(new ScimFilter("displayName", "Alice Smith"));
  }

  @Test
  void attributeAndOperatorAreCaseInsensitiveAndTheAttributeComesBackCanonical() {
    ScimFilter filter = ScimFilter.parse("  USERNAME   EQ \"Bob\" ", USER_ATTRIBUTES);
    assertThat(filter.attribute()).isEqualTo("userName");
    assertThat(filter.value()).isEqualTo("Bob");
    assertThat(filter.lowerValue()).isEqualTo("bob");
  }

  @Test
  void escapedQuotesAndBackslashesAreUnescaped() {
    assertThat(ScimFilter.parse("displayName eq \"say \\\"hi\\\" \\\\ bye\"", USER_ATTRIBUTES).value())
        .isEqualTo("say \"hi\" \\ bye");
  }

  @Test
  void rejectsAnythingButEqOnAnAllowedAttribute() {
    for (String bad : List.of(
        "userName co \"a\"",
        "userName eq alice",
        "userName eq \"a",
        "userName eq \"a\" and displayName eq \"b\"",
        "userName eq \"a\" or 1 eq 1",
        "eq \"a\"",
        "user.name eq \"a\"",
        "emails eq \"a@b.c\"",
        "id eq \"x\"")) {
      assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> ScimFilter.parse(bad, USER_ATTRIBUTES));
    }
  }
}
