package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.client.ApiException;
import dev.gatehouse.common.ErrorCode;
import dev.gatehouse.common.GatehouseException;
import java.net.http.HttpResponse;

/** Assertions on the one error shape {"error_code","message"}, through the client, raw HTTP or in-process. */
public final class ApiAssertions {
  private ApiAssertions() {}

  /** A call through the generated client that must fail with {@code status} and {@code code}. */
  public static ApiException assertApiError(ThrowingCall call, int status, String code) {
    ApiException[] caught = new ApiException[1];
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).as("status of %s", e.getResponseBody()).isEqualTo(status);
          assertErrorBody(e.getResponseBody(), code);
          caught[0] = e;
        });
    return caught[0];
  }

  /** A raw response that must be {@code status} with the error shape and {@code code}. */
  public static void assertRawError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertErrorBody(response.body(), code);
  }

  /** The error shape, and nothing of the server's insides: no stack frames, no exception names. */
  public static void assertErrorBody(String body, String code) {
    assertThat(body)
        .contains("\"error_code\":\"" + code + "\"")
        .contains("\"message\":\"")
        .doesNotContain("at dev.")
        .doesNotContain("Exception")
        .doesNotContain("<html");
  }

  /** An in-process call that must throw a {@link GatehouseException} with {@code code}. */
  public static void assertFailsWith(ErrorCode code, Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(GatehouseException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @FunctionalInterface
  public interface ThrowingCall {
    void run() throws Exception;
  }
}
