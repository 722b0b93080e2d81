package dev.gatehouse.gateway;

/** The API a client speaks to the gateway (and the shape its errors take). */
public enum WireFormat {
  OPENAI,
  ANTHROPIC
}
