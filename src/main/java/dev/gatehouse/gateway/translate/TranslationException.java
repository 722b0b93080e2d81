package dev.gatehouse.gateway.translate;

/**
 * A client request that cannot be carried to the other provider's API without changing what it asks for. The
 * gateway answers 400 with {@link #getMessage()}, which names the parameter, so the client knows what to drop.
 */
public final class TranslationException extends RuntimeException {
  private final String param;

  public TranslationException(String param, String reason) {
    super("Cannot translate '" + param + "': " + reason);
    this.param = param;
  }

  /** The offending parameter as a JSON path into the request, e.g. {@code messages[2].content[0].type}. */
  public String param() {
    return param;
  }
}
