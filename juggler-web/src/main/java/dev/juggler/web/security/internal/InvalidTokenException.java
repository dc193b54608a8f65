package dev.juggler.web.security.internal;

/**
 * A bearer token that must refuse the handshake, with the RFC 6750 error code ({@code
 * invalid_token}, or {@code invalid_request} for a request carrying several tokens) and a short
 * description safe to send to the client.
 */
public final class InvalidTokenException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String error;

  public InvalidTokenException(String error, String description) {
    super(description);
    this.error = error;
  }

  /** An {@code invalid_token} error. */
  public static InvalidTokenException invalid(String description) {
    return new InvalidTokenException("invalid_token", description);
  }

  /** The RFC 6750 error code. */
  public String error() {
    return error;
  }

  /** The HTTP status that goes with it: 400 for {@code invalid_request}, else 401. */
  public int status() {
    return "invalid_request".equals(error) ? 400 : 401;
  }
}
