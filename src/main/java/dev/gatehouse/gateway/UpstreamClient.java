package dev.gatehouse.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends a request to a provider and answers its response as a stream. Connect errors, timeouts
 * before the response head, 429 and 5xx are retried with exponential backoff (all before any byte
 * reached the client); when retries run out the failure says so, and the caller may fall back.
 */
public class UpstreamClient {
  static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  static final long DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;
  static final long DEFAULT_MAX_RETRIES = 1;
  static final long BACKOFF_MS = 100;
  static final String ANTHROPIC_VERSION = "2023-06-01";

  /**
   * A few HTTP clients per connect timeout: clients pool connections and are costly to create, and
   * each serves every connection's I/O from one selector thread, which thousands of streams opened
   * at once overwhelm (their connects then time out waiting for it). Calls spread over them.
   */
  private static final int CLIENTS_PER_TIMEOUT = 4;
  /** Answers up to this long are read into one array of their announced length. */
  private static final long MAX_SIZED_READ = 1 << 20;
  private final Map<Long, HttpClient[]> clients = new ConcurrentHashMap<>();

  /** The upstream could not answer (after retries); {@code status} is 0 when nothing came back. */
  public static final class UpstreamFailure extends Exception {
    private final int status;

    UpstreamFailure(int status, String message, Throwable cause) {
      super(message, cause, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }

    /** Whether the provider (or the way to it) took longer than the connection's timeouts allow. */
    public boolean timedOut() {
      return getCause() instanceof HttpTimeoutException;
    }

    /**
     * The status the client gets: the provider's 429 as is (the client should slow down), 504 when
     * it did not answer in time (as a gateway says it), 502 for every other failure.
     */
    public int clientStatus() {
      return status == 429 ? 429 : timedOut() ? 504 : 502;
    }

    /** The usage record's error type. */
    public String errorType() {
      return timedOut() ? "upstream_timeout" : "upstream_unavailable";
    }
  }

  /** POSTs {@code body} to {@code path} under the connection's base URL with its credentials. */
  public HttpResponse<InputStream> post(ConnectionService.Upstream up, String path, byte[] body)
      throws UpstreamFailure {
    ConnectionOptions options = up.options();
    long retries = options.number("max_retries", DEFAULT_MAX_RETRIES);
    HttpRequest request = request(up, path, body);
    HttpClient client = client(options.number("connect_timeout_ms", DEFAULT_CONNECT_TIMEOUT_MS));
    UpstreamFailure last = null;
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        sleep(BACKOFF_MS << (attempt - 1));
      }
      try {
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status != 429 && status < 500) {
          return response;
        }
        last = new UpstreamFailure(status, up.name() + " answered " + status + ": " + head(response), null);
      } catch (IOException e) {
        last = new UpstreamFailure(0, up.name() + unreachable(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UpstreamFailure(0, "interrupted", e);
      }
    }
    throw last;
  }

  private static HttpRequest request(ConnectionService.Upstream up, String path, byte[] body) {
    ConnectionOptions options = up.options();
    String apiVersion = options.text("api_version");
    String url = options.baseUrl(up.type()) + path + (apiVersion == null ? "" : "?api-version=" + apiVersion);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofMillis(options.number("first_byte_timeout_ms", DEFAULT_FIRST_BYTE_TIMEOUT_MS)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (up.type() == ConnectionType.ANTHROPIC) {
      b.header("anthropic-version", ANTHROPIC_VERSION);
      if (up.apiKey() != null) {
        b.header("x-api-key", up.apiKey());
      }
    } else if (up.apiKey() != null) {
      // Azure OpenAI (recognized by its api_version) takes the key in api-key; everyone else as Bearer.
      if (apiVersion != null) {
        b.header("api-key", up.apiKey());
      } else {
        b.header("Authorization", "Bearer " + up.apiKey());
      }
    }
    if (options.text("organization") != null) {
      b.header("OpenAI-Organization", options.text("organization"));
    }
    options.headers().forEach(b::header);
    return b.build();
  }

  private HttpClient client(long connectTimeoutMs) {
    HttpClient[] spread = clients.computeIfAbsent(connectTimeoutMs, ms -> {
      HttpClient[] made = new HttpClient[CLIENTS_PER_TIMEOUT];
      Arrays.setAll(made, i -> HttpClient.newBuilder()
          .connectTimeout(Duration.ofMillis(ms))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build());
      return made;
    });
    return spread[ThreadLocalRandom.current().nextInt(spread.length)];
  }

  /** Why nothing came back, in words for the client (the exception's class name told them Java's). */
  private static String unreachable(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return " did not answer in time.";
    }
    return e instanceof ConnectException ? " refused the connection." : " closed the connection without an answer.";
  }

  /**
   * An answer's body whole, the stream closed: into one array of its announced length when it gives
   * one, as readAllBytes takes 16 KiB buffers first (a third of a small answer's allocation).
   */
  static byte[] readWhole(HttpResponse<InputStream> response) throws IOException {
    long length = response.headers().firstValueAsLong("content-length").orElse(-1);
    try (InputStream in = response.body()) {
      return length >= 0 && length < MAX_SIZED_READ ? in.readNBytes((int) length) : in.readAllBytes();
    }
  }

  /** The first bytes of an error body, for the log and the failure message; never more. */
  private static String head(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      return new String(in.readNBytes(300), java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "(unreadable body)";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
