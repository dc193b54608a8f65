package dev.juggler.protocol.message;

/** The NACK codes Juggler sends; they follow the meaning of the HTTP status codes. */
public final class NackCode {
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int TIMEOUT = 408;
  public static final int TOO_LARGE = 413;

  /** Rate limited, or a capacity (calls per URI, results per connection) exceeded. */
  public static final int TOO_MANY = 429;

  public static final int INTERNAL = 500;

  /**
   * The broker (Redis) could not be reached, or did not answer lately (fail fast): the request was
   * not sent to it, or it refused to carry it out. Either way it had no effect.
   */
  public static final int UNAVAILABLE = 503;

  /**
   * The request was sent to the broker (Redis), which gave no answer within the timeout: whether it
   * took effect is unknown to the server. It will not take effect after this NACK: the broker's
   * scripts refuse to act once the server has given up (see the README's Guarantees).
   */
  public static final int OUTCOME_UNKNOWN = 504;

  private NackCode() {}
}
