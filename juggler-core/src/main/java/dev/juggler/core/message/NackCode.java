package dev.juggler.core.message;

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

  /** The broker (Redis) could not be reached. */
  public static final int UNAVAILABLE = 503;

  private NackCode() {}
}
