package dev.juggler.client;

/**
 * The connection was lost (or was not open) before the request's answer came: a call's result will
 * never arrive, and whether the request took effect is unknown.
 */
public final class ConnectionLostException extends JugglerException {

  /**
   * @param message what happened
   * @param cause the underlying failure, or {@code null}
   */
  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
