/**
 * The juggler.0 WebSocket endpoint at {@code /ws}: a thin adapter between the container and the
 * connections of {@link dev.juggler.web.conn}.
 */
package dev.juggler.web;
