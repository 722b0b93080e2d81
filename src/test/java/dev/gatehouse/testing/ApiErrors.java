package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.client.ApiException;

/** Assertions on the error answers of generated-client calls. */
public final class ApiErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiErrors() {}

  /** A client call that is expected to fail. */
  @FunctionalInterface
  public interface Call {
    void run() throws Exception;
  }

  /**
   * Runs {@code call}, checks that it failed with {@code status} and {@code errorCode} in the common
   * error shape (no stack trace), and returns the message for further checks.
   */
  public static String expectError(Call call, int status, String errorCode) {
    try {
      call.run();
    } catch (ApiException e) {
      assertThat(e.getCode()).as("status of %s", e.getResponseBody()).isEqualTo(status);
      try {
        JsonNode body = JSON.readTree(e.getResponseBody());
        assertThat(body.path("error_code").asText()).isEqualTo(errorCode);
        assertThat(e.getResponseBody()).doesNotContain("at dev.");
        return body.path("message").asText();
      } catch (Exception parse) {
        throw new AssertionError("not the error shape: " + e.getResponseBody(), parse);
      }
    } catch (Exception other) {
      throw new AssertionError("expected an API error, got " + other, other);
    }
    return fail("expected HTTP " + status + " " + errorCode + ", but the call succeeded");
  }
}
