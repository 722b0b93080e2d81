package dev.gatehouse.gateway;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/** Server-sent event responses and how their ends are recorded. */
final class Streams {
  /** The status usage records give a stream the client abandoned (nginx's "client closed request"). */
  static final int CLIENT_CLOSED = 499;

  private Streams() {}

  static Response response(StreamingOutput stream) {
    return Response.ok(stream, ChatGateway.EVENT_STREAM)
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        .build();
  }

  static int status(OpenAiRelay.End end) {
    return switch (end) {
      case COMPLETE -> 200;
      case CLIENT_GONE -> CLIENT_CLOSED;
      case UPSTREAM_BROKEN -> 502;
      case UPSTREAM_IDLE -> 504;
    };
  }

  static String errorType(OpenAiRelay.End end) {
    return switch (end) {
      case COMPLETE -> null;
      case CLIENT_GONE -> "client_disconnected";
      case UPSTREAM_BROKEN -> "upstream_stream_broken";
      case UPSTREAM_IDLE -> "upstream_idle_timeout";
    };
  }
}
