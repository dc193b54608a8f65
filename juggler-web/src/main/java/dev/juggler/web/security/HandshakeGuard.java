package dev.juggler.web.security;

import dev.juggler.web.security.internal.BearerToken;
import dev.juggler.web.security.internal.InvalidTokenException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks a WebSocket handshake before the upgrade: its {@code Origin} against the allow-list (HTTP
 * 403), and its bearer token, if it has one (HTTP 401 with {@code WWW-Authenticate: Bearer
 * error="invalid_token"}). A handshake without a token passes: the connection opens anonymous and
 * {@link AuthenticationHandler} refuses its protected requests.
 *
 * <p>A handshake without an {@code Origin} header passes too. The allow-list is there against
 * cross-site WebSocket hijacking: a page of another site opening a WebSocket with the user's
 * cookies. Browsers always send {@code Origin} on a WebSocket handshake and scripts cannot change
 * it; other clients can send any {@code Origin} they like, so requiring one would keep none of them
 * out.
 */
@ApplicationScoped
public class HandshakeGuard {
  private static final Logger LOG = Logger.getLogger(HandshakeGuard.class.getName());

  @Inject SecurityConfig config;

  /** Why the handshake must be refused, or {@code null} when it may go on. */
  public HandshakeRefusal check(HttpServletRequest req) {
    if (!config.origins().allowsAny()) {
      List<String> origins = Collections.list(req.getHeaders("Origin"));
      if (origins.size() > 1 || (origins.size() == 1 && !config.origins().allows(origins.get(0)))) {
        LOG.fine(() -> "handshake refused: origin " + origins + " not allowed");
        return HandshakeRefusal.of(
            HttpServletResponse.SC_FORBIDDEN, "origin not allowed: " + origins);
      }
    }
    TokenVerifier verifier = config.tokenVerifier();
    if (verifier != null) {
      try {
        String token = BearerToken.find(headers(req, "Authorization"), params(req));
        if (token != null) {
          verifier.verify(token, Instant.now(), true);
        }
      } catch (InvalidTokenException e) {
        LOG.log(Level.FINE, () -> "handshake refused: " + e.getMessage());
        return new HandshakeRefusal(
            e.status(),
            e.getMessage(),
            "Bearer error=\""
                + e.error()
                + "\", error_description=\""
                + e.getMessage().replaceAll("[\"\\\\\\p{Cntrl}]", "'")
                + "\"");
      }
    }
    return null;
  }

  private static List<String> headers(HttpServletRequest req, String name) {
    return Collections.list(req.getHeaders(name));
  }

  private static List<String> params(HttpServletRequest req) {
    String[] values = req.getParameterValues(BearerToken.PARAMETER);
    return values == null ? List.of() : List.of(values);
  }
}
