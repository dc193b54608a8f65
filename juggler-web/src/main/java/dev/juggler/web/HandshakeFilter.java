package dev.juggler.web;

import dev.juggler.web.conn.AllowedMessages;
import dev.juggler.web.conn.ConnRegistry;
import dev.juggler.web.metrics.SecurityMetrics;
import dev.juggler.web.security.HandshakeGuard;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;

/**
 * Refuses, with HTTP 400 and a plain-text reason, handshakes that do not offer the juggler.0
 * subprotocol or that carry an invalid {@code Juggler-Allowed-Messages} header: such a connection
 * would not be served. While the node shuts down it refuses every handshake with 503; {@link
 * HandshakeGuard} refuses a disallowed origin (403) and an invalid bearer token (401). Each refusal
 * counts in {@code RefusedHandshakes}, tagged with its status.
 */
@WebFilter("/ws")
public class HandshakeFilter extends HttpFilter {
  @Inject HandshakeGuard security; // origin allow-list (403) and bearer token (401)

  @Inject ConnRegistry registry;
  @Inject SecurityMetrics metrics;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HandshakeRefusal refusal = req.getHeader("Upgrade") == null ? null : refusal(req);
    if (refusal == null) {
      chain.doFilter(req, res);
      return;
    }
    metrics.handshakeRefused(refusal.status());
    res.setStatus(refusal.status());
    if (refusal.wwwAuthenticate() != null) {
      res.setHeader("WWW-Authenticate", refusal.wwwAuthenticate());
    }
    res.setContentType("text/plain;charset=UTF-8");
    res.getWriter().println(refusal.reason());
  }

  private HandshakeRefusal refusal(HttpServletRequest req) {
    if (registry.stopping()) {
      return HandshakeRefusal.of(
          HttpServletResponse.SC_SERVICE_UNAVAILABLE, ConnRegistry.SHUTTING_DOWN);
    }
    String problem = problem(req);
    if (problem != null) {
      return HandshakeRefusal.of(HttpServletResponse.SC_BAD_REQUEST, problem);
    }
    return security.check(req);
  }

  private static String problem(HttpServletRequest req) {
    boolean offered =
        Collections.list(req.getHeaders("Sec-WebSocket-Protocol")).stream()
            .flatMap(v -> Arrays.stream(v.split(",")))
            .anyMatch(p -> p.trim().equals(Handshake.SUBPROTOCOL));
    if (!offered) {
      return "the juggler.0 subprotocol is required (Sec-WebSocket-Protocol: juggler.0)";
    }
    try {
      String allowed = String.join(",", Collections.list(req.getHeaders(AllowedMessages.HEADER)));
      AllowedMessages.parse(allowed);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }
}
