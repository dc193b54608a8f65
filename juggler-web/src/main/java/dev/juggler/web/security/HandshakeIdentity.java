package dev.juggler.web.security;

import dev.juggler.web.conn.Conn;
import dev.juggler.web.security.internal.BearerToken;
import dev.juggler.web.security.internal.InvalidTokenException;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries the verified identity from the handshake to the connection.
 *
 * <p>{@link HandshakeGuard}, a servlet filter's helper, has already refused invalid tokens; it has
 * no way to hand what it verified to the WebSocket side (the container's {@code HandshakeRequest}
 * does not expose the servlet request's attributes). So the endpoint's configurator verifies the
 * token again here, a signature check of well under a millisecond, and puts the identity in the
 * connection's user properties; the endpoint attaches it to the {@link Conn} when it opens. Expiry
 * is not checked again: a token that expired between the two checks opens a connection whose
 * protected requests get NACK 401 "token expired", as any later expiry does.
 */
public final class HandshakeIdentity {
  private static final Logger LOG = Logger.getLogger(HandshakeIdentity.class.getName());

  /**
   * The user property that holds the identity between handshake and open; named "juggler.*", as the
   * endpoint's other handshake properties, which it drops once the connection is open.
   */
  static final String PROPERTY = "juggler.identity";

  private HandshakeIdentity() {}

  /**
   * Verifies the handshake's token, if any, and keeps its identity in {@code properties}.
   *
   * @param authorization the values of the handshake's {@code Authorization} header
   * @param params the handshake request's query parameters ({@code null} when it has none)
   * @return why the handshake must be refused (its token is invalid), or {@code null}
   */
  public static String put(
      List<String> authorization,
      Map<String, List<String>> params,
      Map<String, Object> properties) {
    TokenVerifier verifier = CDI.current().select(SecurityConfig.class).get().tokenVerifier();
    if (verifier == null) {
      return null;
    }
    try {
      String token =
          BearerToken.find(
              authorization, params == null ? List.of() : params.get(BearerToken.PARAMETER));
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
}
