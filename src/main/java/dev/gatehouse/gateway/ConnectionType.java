package dev.gatehouse.gateway;

/** The wire formats Gatehouse speaks upstream. */
public enum ConnectionType {
  OPENAI("https://api.openai.com/v1"),
  ANTHROPIC("https://api.anthropic.com"),
  OPENAI_COMPATIBLE(null),
  MOCK(null);

  private final String defaultBaseUrl;

  ConnectionType(String defaultBaseUrl) {
    this.defaultBaseUrl = defaultBaseUrl;
  }

  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  /** Whether the upstream speaks OpenAI's chat completions format. */
  public boolean openAiWire() {
    return this == OPENAI || this == OPENAI_COMPATIBLE;
  }
}
