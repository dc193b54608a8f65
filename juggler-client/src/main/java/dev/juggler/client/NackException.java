package dev.juggler.client;

/**
 * The server rejected the request with a NACK: it had no effect. The code follows the meaning of
 * the HTTP status codes ({@link dev.juggler.protocol.message.NackCode}).
 */
public final class NackException extends JugglerException {
  private final int code;
  private final String reason;

  /**
   * @param code the NACK's code
   * @param reason the NACK's message, or {@code null} when it had none
   */
  public NackException(int code, String reason) {
    super("NACK " + code + (reason == null ? "" : ": " + reason));
    this.code = code;
    this.reason = reason;
  }

  /** The NACK's code, such as 403 or 429. */
  public int code() {
    return code;
  }

  /** The NACK's message, or {@code null} when it had none. */
  public String reason() {
    return reason;
  }
}
