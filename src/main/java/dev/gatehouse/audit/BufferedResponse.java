package dev.gatehouse.audit;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Holds a response body back until the request's transaction (with its audit event) has committed,
 * so that no client ever sees a 2xx for a change that was rolled back. Admin API answers are small.
 */
final class BufferedResponse extends HttpServletResponseWrapper {
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private PrintWriter writer;
  private final ServletOutputStream stream = new ServletOutputStream() {
    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("buffered responses are written synchronously");
    }

    @Override
    public void write(int b) {
      body.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      body.write(b, off, len);
    }
  };

  BufferedResponse(HttpServletResponse response) {
    super(response);
  }

  @Override
  public ServletOutputStream getOutputStream() {
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    }
    return writer;
  }

  @Override
  public void flushBuffer() {
    if (writer != null) {
      writer.flush();
    }
  }

  @Override
  public boolean isCommitted() {
    return false;
  }

  @Override
  public void setContentLength(int len) {
    // the length is set from the buffer when it is released
  }

  @Override
  public void setContentLengthLong(long len) {
    // the length is set from the buffer when it is released
  }

  /** Sends the held body to the client. */
  void release() throws IOException {
    flushBuffer();
    HttpServletResponse response = (HttpServletResponse) getResponse();
    response.setContentLength(body.size());
    body.writeTo(response.getOutputStream());
  }
}
