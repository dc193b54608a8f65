package dev.juggler.web.security;

import dev.juggler.web.Handshake;
import dev.juggler.web.conn.Conn;
import dev.juggler.web.security.internal.BearerToken;
import dev.juggler.web.security.internal.InvalidTokenException;
import dev.juggler.web.security.internal.TokenVerifier;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.HandshakeRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries the verified identity from the handshake to the connection.
 *
 * <p>{@link HandshakeGuard}, a servlet filter's helper, has already refused invalid tokens; it has
 * no way to hand what it verified to the WebSocket side (the container's {@link HandshakeRequest}
 * does not expose the servlet request's attributes). So the endpoint's configurator verifies the
 * token again here, a signature check of well under a millisecond, and puts the identity in the
 * connection's user properties; the endpoint attaches it to the {@link Conn} when it opens. Expiry
 * is not checked again: a token that expired between the two checks opens a connection whose
 * protected requests get NACK 401 "token expired", as any later expiry does.
 */
public final class HandshakeIdentity {
  private static final Logger LOG = Logger.getLogger(HandshakeIdentity.class.getName());

  /** The user property that holds the identity between handshake and open. */
  static final String PROPERTY = "juggler.identity";

  private HandshakeIdentity() {}

  /**
   * Verifies the handshake's token, if any, and keeps its identity in {@code properties}.
   *
   * @return why the handshake must be refused (its token is invalid), or {@code null}
   */
  public static String put(HandshakeRequest request, Map<String, Object> properties) {
    TokenVerifier verifier = CDI.current().select(SecurityConfig.class).get().tokenVerifier();
    if (verifier == null) {
      return null;
    }
    try {
      String token = BearerToken.find(header(request), param(request));
      if (token != null) {
        properties.put(PROPERTY, verifier.verify(token, Instant.now(), false));
      }
      return null;
    } catch (InvalidTokenException e) {
      // The filter refuses such tokens with 401; one that gets here anyway is refused all the
      // same (the endpoint closes it with 1008), never served anonymous.
      LOG.log(Level.FINE, () -> "handshake refused on the WebSocket side: " + e.getMessage());
      return "invalid token: " + e.getMessage();
    }
  }

  /** Attaches the identity that {@link #put} kept, if any, to the opened connection. */
  public static void attach(Conn conn, Map<String, Object> properties) {
    if (properties.get(PROPERTY) instanceof Identity identity) {
      conn.state(Identity.class, () -> identity);
    }
  }

  private static List<String> header(HandshakeRequest request) {
    return Handshake.header(request.getHeaders(), "Authorization");
  }

  private static List<String> param(HandshakeRequest request) {
    Map<String, List<String>> params = request.getParameterMap();
    return params == null ? List.of() : params.get(BearerToken.PARAMETER);
  }
}
