package dev.gatehouse.gateway;

import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jakarta.ws.rs.core.StreamingOutput;

/** Server-sent event responses and how their ends are recorded. */
final class Streams {
  /** The status usage records give a stream the client abandoned (nginx's "client closed request"). */
  static final int CLIENT_CLOSED = 499;

  private Streams() {}

  /**
   * A stream whose final event ({@code data: [DONE]}, or Anthropic's {@code message_stop}) reaches
   * the client only once {@code stream} has returned, that is after it wrote the call's usage
   * record: a client that saw its stream complete can count on the record (bench/crash.sh kills the
   * server mid-stream). If the record cannot be written the stream ends without its final event.
   */
  static Response response(StreamingOutput stream) {
    StreamingOutput finalEventLast = out -> {
      FinalEventHold hold = new FinalEventHold(out);
      stream.write(hold);
      hold.release();
    };
    return Response.ok(finalEventLast, ChatGateway.EVENT_STREAM)
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        .build();
  }

  /** Passes writes through until the final event starts, then holds everything until released. */
  private static final class FinalEventHold extends FilterOutputStream {
    private static final byte[][] FINAL_EVENTS = {
        "data: [DONE]".getBytes(StandardCharsets.US_ASCII), "event: message_stop".getBytes(StandardCharsets.US_ASCII)};
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private boolean holding;

    FinalEventHold(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      holding = holding || startsWithFinalEvent(b, off, len);
      if (holding) {
        held.write(b, off, len);
      } else {
        out.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      if (!holding) {
        out.flush();
      }
    }

    void release() throws IOException {
      held.writeTo(out);
      out.flush();
    }

    private static boolean startsWithFinalEvent(byte[] b, int off, int len) {
      for (byte[] event : FINAL_EVENTS) {
        if (len >= event.length && Arrays.equals(b, off, off + event.length, event, 0, event.length)) {
          return true;
        }
      }
      return false;
    }
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
