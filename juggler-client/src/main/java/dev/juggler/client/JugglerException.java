package dev.juggler.client;

/**
 * Why a Juggler request failed; the futures of {@link JugglerClient} complete exceptionally with
 * one of its subclasses.
 */
public class JugglerException extends RuntimeException {

  /**
   * @param message what happened, never {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public JugglerException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * @param message what happened, never {@code null}
   */
  public JugglerException(String message) {
    super(message);
  }
}
