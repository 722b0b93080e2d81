package dev.gatehouse.gateway;

import io.dropwizard.lifecycle.Managed;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sends a request to a provider and answers its response as a stream. Connect errors, timeouts
 * before the response head, 429 and 5xx are retried with exponential backoff (all before any byte
 * reached the client); when retries run out the failure says so, and the caller may fall back.
 *
 * <p>Jetty's HTTP client, not the JDK's: the JDK's took 40% of a call's CPU in the gateway
 * benchmark (hand-offs between its selector, its executor and the caller), Jetty's half of that.
 */
public class UpstreamClient implements Managed {
  static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  static final long DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;
  static final long DEFAULT_MAX_RETRIES = 1;
  static final long BACKOFF_MS = 100;
  static final String ANTHROPIC_VERSION = "2023-06-01";

  /**
   * Each open stream holds one connection to its provider, and each holds a request thread, of
   * which the server runs at most 16,384 (GatehouseApplication): the pool never makes a call wait.
   */
  private static final int MAX_CONNECTIONS_PER_UPSTREAM = 16_384;
  /** Pooled connections unused this long are closed (providers close theirs after a while too). */
  private static final long POOLED_IDLE_MS = 30_000;
  /** Answers up to this long are read into one array of their announced length. */
  private static final long MAX_SIZED_READ = 1 << 20;
  private static final HttpField USER_AGENT = new HttpField(HttpHeader.USER_AGENT, "Gatehouse");

  /** One client per connect timeout (Jetty's is the client's, not the request's). */
  private final Map<Long, HttpClient> clients = new ConcurrentHashMap<>();
  private final IdleWatchdog watchdog;
  private volatile boolean stopped;

  public UpstreamClient(IdleWatchdog watchdog) {
    this.watchdog = watchdog;
  }

  /**
   * A provider's answer: its status, its announced length (-1 when it gives none) and its body,
   * read as it arrives. Closing the body ends the exchange, which cancels an upstream request
   * still under way.
   */
  public record Answer(int status, long contentLength, InputStream body) {}

  /** The upstream could not answer (after retries); {@code status} is 0 when nothing came back. */
  public static final class UpstreamFailure extends Exception {
    private final int status;
    private final boolean timedOut;

    UpstreamFailure(int status, boolean timedOut, String message, Throwable cause) {
      super(message, cause, false, false);
      this.status = status;
      this.timedOut = timedOut;
    }

    public int status() {
      return status;
    }

    /** Whether the provider (or the way to it) took longer than the connection's timeouts allow. */
    public boolean timedOut() {
      return timedOut;
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
  public Answer post(ConnectionService.Upstream up, String path, byte[] body) throws UpstreamFailure {
    ConnectionOptions options = up.options();
    long retries = options.number("max_retries", DEFAULT_MAX_RETRIES);
    long firstByteMs = options.number("first_byte_timeout_ms", DEFAULT_FIRST_BYTE_TIMEOUT_MS);
    // While a response is under way the gateway's own watchdog ends idle streams; Jetty's idle
    // timeout only backs it up, later, so a stalled exchange never holds its connection forever.
    long exchangeIdleMs = firstByteMs + options.number("idle_timeout_ms", ChatGateway.DEFAULT_IDLE_TIMEOUT_MS);
    HttpClient client = client(options.number("connect_timeout_ms", DEFAULT_CONNECT_TIMEOUT_MS));
    UpstreamFailure last = null;
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        sleep(BACKOFF_MS << (attempt - 1));
      }
      Request request = request(client, up, path, body).idleTimeout(exchangeIdleMs, TimeUnit.MILLISECONDS);
      HeadListener listener = new HeadListener();
      // The watchdog's one timer bounds the wait for the head: a timed wait of its own would put a
      // timer into the scheduler and take it out again for every call.
      IdleWatchdog.Watch headWait = watchdog.watch(
          () -> request.abort(new TimeoutException("no response head in time")), firstByteMs);
      request.send(listener);
      try {
        Response response = listener.head.get();
        Answer answer = new Answer(response.getStatus(),
            response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH), new Exchange(listener, request));
        if (answer.status() != 429 && answer.status() < 500) {
          return answer;
        }
        last = new UpstreamFailure(answer.status(), false,
            up.name() + " answered " + answer.status() + ": " + head(answer), null);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        boolean timedOut = cause instanceof SocketTimeoutException || cause instanceof TimeoutException;
        last = new UpstreamFailure(0, timedOut, up.name() + unreachable(cause, timedOut), cause);
      } catch (InterruptedException e) {
        request.abort(e);
        Thread.currentThread().interrupt();
        throw new UpstreamFailure(0, false, "interrupted", e);
      } finally {
        headWait.close();
      }
    }
    throw last;
  }

  private static Request request(HttpClient client, ConnectionService.Upstream up, String path, byte[] body) {
    ConnectionOptions options = up.options();
    String apiVersion = options.text("api_version");
    String url = options.baseUrl(up.type()) + path + (apiVersion == null ? "" : "?api-version=" + apiVersion);
    return client.newRequest(url).method(HttpMethod.POST)
        .body(new BytesRequestContent("application/json", body))
        .headers(headers -> {
          if (up.type() == ConnectionType.ANTHROPIC) {
            headers.put("anthropic-version", ANTHROPIC_VERSION);
            if (up.apiKey() != null) {
              headers.put("x-api-key", up.apiKey());
            }
          } else if (up.apiKey() != null) {
            // Azure OpenAI (recognized by its api_version) takes the key in api-key; everyone else as Bearer.
            if (apiVersion != null) {
              headers.put("api-key", up.apiKey());
            } else {
              headers.put("Authorization", "Bearer " + up.apiKey());
            }
          }
          if (options.text("organization") != null) {
            headers.put("OpenAI-Organization", options.text("organization"));
          }
          options.headers().forEach(headers::put);
        });
  }

  private HttpClient client(long connectTimeoutMs) throws UpstreamFailure {
    if (stopped) {
      throw new UpstreamFailure(0, false, "The gateway is shutting down.", null);
    }
    return clients.computeIfAbsent(connectTimeoutMs, UpstreamClient::started);
  }

  private static HttpClient started(long connectTimeoutMs) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("gateway-upstream-" + connectTimeoutMs);
    threads.setDaemon(true);
    // Jetty keeps threads in reserve to take over a selector that runs a blocking task itself; each
    // take-over parks and wakes a thread. No task here blocks (answers are read on the selector, see
    // below), and without the reserve a call took about 5% less CPU (bench/gateway/README.md).
    threads.setReservedThreads(0);
    HttpClient client = new HttpClient();
    // What reads an answer (HeadListener, InputStreamResponseListener) only queues its bytes and
    // wakes the request's thread, never blocks: so the selector that read them runs it, instead of
    // waking a pool thread to (one thread hand-off a call fewer, about 5% of its CPU).
    client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
    client.setExecutor(threads);
    client.setConnectTimeout(connectTimeoutMs);
    client.setIdleTimeout(POOLED_IDLE_MS);
    client.setFollowRedirects(false);
    client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_UPSTREAM);
    client.setMaxRequestsQueuedPerDestination(MAX_CONNECTIONS_PER_UPSTREAM);
    client.setUserAgentField(USER_AGENT);
    // Cookies a provider sets for one caller must never ride along with another's request.
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("The upstream HTTP client did not start.", e);
    }
    // Bodies are relayed as the provider sent them (and read by their announced length): no
    // Accept-Encoding, no decoding. Started clients fill this list, so it is emptied after start.
    client.getContentDecoderFactories().clear();
    return client;
  }

  @Override
  public void start() {
    stopped = false;
  }

  @Override
  public void stop() throws Exception {
    stopped = true;
    for (HttpClient client : clients.values()) {
      client.stop();
    }
    clients.clear();
  }

  /** Why nothing came back, in words for the client (the exception's class name told them Java's). */
  private static String unreachable(Throwable cause, boolean timedOut) {
    if (timedOut) {
      return " did not answer in time.";
    }
    return cause instanceof ConnectException ? " refused the connection." : " closed the connection without an answer.";
  }

  /**
   * An answer's body whole, the stream closed: into one array of its announced length when it gives
   * one, as readAllBytes takes 16 KiB buffers first (a third of a small answer's allocation).
   */
  static byte[] readWhole(Answer answer) throws IOException {
    long length = answer.contentLength();
    try (InputStream in = answer.body()) {
      return length >= 0 && length < MAX_SIZED_READ ? in.readNBytes((int) length) : in.readAllBytes();
    }
  }

  /** The first bytes of an error body, for the log and the failure message; never more. */
  private static String head(Answer answer) {
    try (InputStream in = answer.body()) {
      return new String(in.readNBytes(300), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "(unreadable body)";
    }
  }

  /** Streams the body as {@link InputStreamResponseListener} does; {@link #head} is the head once it came. */
  private static final class HeadListener extends InputStreamResponseListener {
    private final CompletableFuture<Response> head = new CompletableFuture<>();
    private volatile boolean complete;

    @Override
    public void onHeaders(Response response) {
      super.onHeaders(response);
      head.complete(response);
    }

    @Override
    public void onComplete(Result result) {
      complete = true;
      super.onComplete(result);
      if (result.isFailed()) {
        head.completeExceptionally(result.getFailure()); // nothing when the head had come
      } else {
        head.complete(result.getResponse());
      }
    }
  }

  /**
   * A response body whose close also ends its exchange: Jetty's stream alone would leave an
   * upstream that has gone quiet connected until its idle timeout.
   */
  private static final class Exchange extends FilterInputStream {
    private final HeadListener listener;
    private final Request request;

    Exchange(HeadListener listener, Request request) {
      super(listener.getInputStream());
      this.listener = listener;
      this.request = request;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        if (!listener.complete) {
          request.abort(new AsynchronousCloseException());
        }
      }
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
