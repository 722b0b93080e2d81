package dev.gatehouse.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads server-sent events (event name and data) one at a time, keeping one event in memory. */
final class SseReader {
  private final BufferedReader reader;

  /** One event; {@code raw} is its text as received, blank line included, for verbatim relays. */
  record Event(String name, String data, String raw) {}

  SseReader(InputStream in) {
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 8192);
  }

  /** The next event, or null at the end of the stream. */
  Event next() throws IOException {
    String name = null;
    StringBuilder data = new StringBuilder();
    StringBuilder raw = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      raw.append(line).append('\n');
      if (line.isEmpty()) {
        if (name != null || !data.isEmpty()) {
          return new Event(name, data.toString(), raw.toString());
        }
        continue;
      }
      if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        if (!data.isEmpty()) {
          data.append('\n');
        }
        data.append(line.substring(5).trim());
      }
    }
    return name != null || !data.isEmpty() ? new Event(name, data.toString(), raw.append('\n').toString()) : null;
  }
}
