/**
 * Security of the juggler.0 endpoint, each part off by default: an origin allow-list for the
 * WebSocket handshake ({@link dev.juggler.web.security.HandshakeGuard}, HTTP 403), JWT bearer
 * tokens verified at the handshake (HTTP 401 for an invalid one) whose {@link
 * dev.juggler.web.security.Identity} stays with the connection, and two handlers: {@link
 * dev.juggler.web.security.AuthenticationHandler} (NACK 401 for protected requests without a valid
 * token) and {@link dev.juggler.web.security.AuthorizationHandler} (NACK 403 for requests no rule
 * allows). Settings are in {@link dev.juggler.web.security.SecurityConfig}; tokens become
 * identities in {@link dev.juggler.web.security.TokenVerifier}, and rules judge them in {@link
 * dev.juggler.web.security.AuthzRules}.
 */
package dev.juggler.web.security;
