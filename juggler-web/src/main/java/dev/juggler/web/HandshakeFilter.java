package dev.juggler.web;

import dev.juggler.web.conn.AllowedMessages;
import dev.juggler.web.conn.ConnRegistry;
import dev.juggler.web.health.NodeCapacity;
import dev.juggler.web.metrics.SecurityMetrics;
import dev.juggler.web.security.HandshakeGuard;
import dev.juggler.web.security.HandshakeRefusal;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;

/**
 * Checks every WebSocket handshake that reaches the web module, whatever its path.
 *
 * <p>It refuses with HTTP 404 an upgrade whose path is not exactly the endpoint's ({@code /ws},
 * with or without a query string): the container also upgrades {@code /ws/}, {@code /ws//}, {@code
 * /ws/;x} and the like to the endpoint, and a filter mapped to {@code /ws} alone never saw those.
 * It refuses with HTTP 400 and a plain-text reason handshakes that do not offer the juggler.0
 * subprotocol or that carry an invalid {@code Juggler-Allowed-Messages} header: such a connection
 * would not be served. While the node shuts down, or while it is nearly out of file descriptors
 * ({@link NodeCapacity}), it refuses every handshake with 503; {@link HandshakeGuard} refuses a
 * disallowed origin (403) and an invalid bearer token (401). Each refusal counts in {@code
 * RefusedHandshakes}, tagged with its status. A request to the endpoint that is not a WebSocket
 * upgrade gets 426 (Upgrade Required); other requests pass untouched. {@link Handshake} checks the
 * same again on the WebSocket side.
 */
@WebFilter("/*")
public class HandshakeFilter extends HttpFilter {
  /** The endpoint's path within the web module. */
  static final String PATH = "/ws";

  @Inject HandshakeGuard security; // origin allow-list (403) and bearer token (401)

  @Inject ConnRegistry registry;
  @Inject NodeCapacity capacity;
  @Inject SecurityMetrics metrics;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    boolean upgrade = isWebSocketUpgrade(req);
    HandshakeRefusal refusal;
    if (upgrade) {
      refusal = refusal(req);
    } else if (isEndpointPath(req)) {
      refusal =
          HandshakeRefusal.of(
              426, "a WebSocket endpoint: connect with a WebSocket client, subprotocol juggler.0");
      res.setHeader("Upgrade", "websocket");
    } else {
      refusal = null;
    }
    if (refusal == null) {
      chain.doFilter(upgrade ? new WithoutSession(req) : req, res);
      return;
    }
    metrics.handshakeRefused(refusal.status());
    res.setStatus(refusal.status());
    if (refusal.wwwAuthenticate() != null) {
      res.setHeader("WWW-Authenticate", refusal.wwwAuthenticate());
    }
    res.setHeader("Connection", "close");
    res.setContentType("text/plain;charset=UTF-8");
    res.getWriter().println(refusal.reason());
  }

  private HandshakeRefusal refusal(HttpServletRequest req) {
    if (!isEndpointPath(req)) {
      return HandshakeRefusal.of(
          HttpServletResponse.SC_NOT_FOUND, "no WebSocket endpoint here: connect to " + PATH);
    }
    if (!"GET".equals(req.getMethod())) {
      return HandshakeRefusal.of(
          HttpServletResponse.SC_BAD_REQUEST, "a WebSocket handshake is a GET request");
    }
    if (registry.stopping()) {
      return HandshakeRefusal.of(
          HttpServletResponse.SC_SERVICE_UNAVAILABLE, ConnRegistry.SHUTTING_DOWN);
    }
    String full = capacity.problem();
    if (full != null) {
      return HandshakeRefusal.of(
          HttpServletResponse.SC_SERVICE_UNAVAILABLE, "server at capacity, try another node");
    }
    String problem = problem(req);
    if (problem != null) {
      return HandshakeRefusal.of(HttpServletResponse.SC_BAD_REQUEST, problem);
    }
    return security.check(req);
  }

  /** Whether the request asks for a WebSocket upgrade (any other upgrade is not ours). */
  static boolean isWebSocketUpgrade(HttpServletRequest req) {
    return Collections.list(req.getHeaders("Upgrade")).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .anyMatch(p -> p.trim().equalsIgnoreCase("websocket"));
  }

  /**
   * Whether the request's path, as sent (not decoded, not normalized), is exactly the endpoint's.
   * The query string is not part of it.
   */
  static boolean isEndpointPath(HttpServletRequest req) {
    return (req.getContextPath() + PATH).equals(req.getRequestURI());
  }

  /** Why the handshake's headers cannot be served, or {@code null}. */
  static String problem(HttpServletRequest req) {
    return problem(
        Handshake.offersSubprotocol(Collections.list(req.getHeaders("Sec-WebSocket-Protocol"))),
        String.join(",", Collections.list(req.getHeaders(AllowedMessages.HEADER))));
  }

  /**
   * Why a handshake cannot be served, or {@code null}: shared with {@link Handshake}, which checks
   * the same on the WebSocket side.
   */
  static String problem(boolean subprotocolOffered, String allowedMessages) {
    if (!subprotocolOffered) {
      return "the juggler.0 subprotocol is required (Sec-WebSocket-Protocol: juggler.0)";
    }
    try {
      AllowedMessages.parse(allowedMessages);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }

  /**
   * A handshake as the container's WebSocket code sees it: without an HTTP session. Open Liberty
   * asks for one at every upgrade, which creates it (and sets a {@code JSESSIONID} cookie), though
   * Juggler never uses it and a WebSocket connection outlives the HTTP exchange: each connection
   * would hold a session's memory until the session timed out. An existing session is still seen.
   */
  static final class WithoutSession extends HttpServletRequestWrapper {
    WithoutSession(HttpServletRequest req) {
      super(req);
    }

    @Override
    public HttpSession getSession() {
      return super.getSession(false);
    }

    @Override
    public HttpSession getSession(boolean create) {
      return super.getSession(false);
    }
  }
}
