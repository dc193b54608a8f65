package dev.juggler.web.security;

/**
 * Why a WebSocket handshake is refused: the HTTP status, a plain-text reason for the body, and the
 * {@code WWW-Authenticate} header of a refused bearer token ({@code null} otherwise).
 */
public record HandshakeRefusal(int status, String reason, String wwwAuthenticate) {

  /** A refusal without a {@code WWW-Authenticate} header. */
  public static HandshakeRefusal of(int status, String reason) {
    return new HandshakeRefusal(status, reason, null);
  }
}
