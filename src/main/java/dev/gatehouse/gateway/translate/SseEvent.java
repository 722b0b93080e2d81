package dev.gatehouse.gateway.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One server-sent event of the Anthropic Messages stream: its {@code event:} name and its {@code data:} JSON. */
public record SseEvent(String event, ObjectNode data) {
  /** The event as written on the wire; Jackson writes JSON on one line, so a single {@code data:} line suffices. */
  public String toWire() {
    return "event: " + event + "\ndata: " + data + "\n\n";
  }
}
