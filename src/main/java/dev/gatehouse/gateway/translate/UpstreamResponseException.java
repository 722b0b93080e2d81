package dev.gatehouse.gateway.translate;

/**
 * An upstream answer that cannot be translated back (no choices, tool arguments that are not JSON). It is the
 * upstream's fault, not the client's, so it is kept apart from {@link TranslationException}: the gateway answers
 * 502 for it, not 400.
 */
public final class UpstreamResponseException extends RuntimeException {
  public UpstreamResponseException(String message) {
    super(message);
  }
}
