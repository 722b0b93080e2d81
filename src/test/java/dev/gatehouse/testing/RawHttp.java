package dev.gatehouse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for what no HTTP client sends: bytes that are not UTF-8 in the
 * request line, a body far larger than memory written while the answer is already being read.
 * The body is written by a thread of its own, so a server that answers early (and closes) is seen
 * answering, not as a broken pipe on the client's side.
 */
public final class RawHttp {
  /** The answer, and how many body bytes had been written when its first byte arrived. */
  public record Answer(int status, Map<String, String> headers, String body, long bodyBytesSentBeforeAnswer) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code head} (request line and headers, CRLF-terminated, blank line included) and then
   * {@code body}, in chunks of the chunked transfer coding when {@code chunked}.
   */
  public static Answer exchange(int port, byte[] head, InputStream body, boolean chunked, int readTimeoutMs)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(readTimeoutMs);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.flush();
      AtomicLong sent = new AtomicLong();
      Thread writer = null;
      if (body != null) {
        writer = new Thread(() -> {
          byte[] buffer = new byte[64 * 1024];
          try (body) {
            int n;
            while ((n = body.read(buffer)) > 0) {
              if (chunked) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
              }
              out.write(buffer, 0, n);
              if (chunked) {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
              }
              sent.addAndGet(n);
            }
            if (chunked) {
              out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
          } catch (IOException expected) {
            // the server answered and closed while the body was still being written
          }
        }, "raw-http-body");
        writer.setDaemon(true);
        writer.start();
      }
      InputStream in = socket.getInputStream();
      int first = in.read();
      long sentBeforeAnswer = sent.get();
      if (first < 0) {
        throw new IOException("the server closed the connection without answering");
      }
      Answer answer = read(first, in, sentBeforeAnswer);
      socket.close(); // stops the writer too
      if (writer != null) {
        try {
          writer.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return answer;
    }
  }

  private static Answer read(int first, InputStream in, long sentBeforeAnswer) throws IOException {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    headBytes.write(first);
    while (!endsWithBlankLine(headBytes)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the answer's head ended early: " + headBytes);
      }
      headBytes.write(b);
    }
    String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body;
    if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked(in);
    } else {
      body = in.readAllBytes();
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), sentBeforeAnswer);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream bytes) {
    byte[] b = bytes.toByteArray();
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  /** A stream of {@code size} bytes made by repeating {@code fill}, never held in memory whole. */
  public static InputStream repeated(byte[] prefix, byte fill, long size) {
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        if (position >= size) {
          return -1;
        }
        byte b = position < prefix.length ? prefix[(int) position] : fill;
        position++;
        return b & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
          return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
          buffer[offset + i] = position < prefix.length ? prefix[(int) position] : fill;
          position++;
        }
        return n;
      }
    };
  }
}
