/**
 * Connections: the per-client state behind the endpoint, their bounded writers, the registry of
 * live connections and their lifecycle events.
 */
package dev.juggler.web.conn;
