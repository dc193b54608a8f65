/**
 * Connections: the per-client state behind the endpoint, their bounded writers, the registry of
 * live connections and their lifecycle events, and the watch that keeps no connection past its peer
 * (pings, read and close deadlines, aborting what the container no longer reads).
 */
package dev.juggler.web.conn;
