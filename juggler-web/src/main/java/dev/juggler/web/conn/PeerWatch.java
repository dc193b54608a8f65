package dev.juggler.web.conn;

import dev.juggler.protocol.codec.ProtocolException;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.metrics.ServerMetrics;
import jakarta.websocket.CloseReason;

/**
 * Makes sure no connection outlives its peer: pings connections that have been silent for the ping
 * interval and closes those that answer nothing within the pong timeout, closes those silent for
 * the read timeout, and releases connections whose close never completed within the close timeout
 * (a peer gone without a TCP reset, or a container that stopped reading the connection) as if they
 * had closed. Run every {@link #periodMillis} by {@link ConnRegistry}.
 */
final class PeerWatch {
  private final long readTimeout;
  private final long pingInterval;
  private final long pongTimeout;
  private final long closeTimeout;
  private final ServerMetrics metrics;

  PeerWatch(ServerConfig config, ServerMetrics metrics) {
    this.readTimeout = config.readTimeout().toNanos();
    this.pingInterval = config.pingInterval().toNanos();
    this.pongTimeout = config.pongTimeout().toNanos();
    this.closeTimeout = config.closeTimeout().toNanos();
    this.metrics = metrics;
  }

  /** How often to look: a quarter of the shortest setting, between 100 ms and 1 s. */
  long periodMillis() {
    long shortest = Math.min(pongTimeout, closeTimeout);
    if (readTimeout > 0) {
      shortest = Math.min(shortest, readTimeout);
    }
    if (pingInterval > 0) {
      shortest = Math.min(shortest, pingInterval);
    }
    return Math.max(100, Math.min(1000, shortest / 4_000_000));
  }

  /**
   * Looks at one connection.
   *
   * @return whether it must be released now: its close did not complete within the close timeout
   */
  boolean check(Conn conn, long now) {
    long closed = conn.closeNanos();
    if (closed != 0) {
      return now - closed > closeTimeout;
    }
    long lastRead = conn.lastReadNanos();
    if (readTimeout > 0 && now - lastRead > readTimeout) {
      metrics.readTimeout();
      conn.close(ProtocolException.POLICY_VIOLATION, "read timeout");
      return false;
    }
    if (pingInterval <= 0) {
      return false;
    }
    long pinged = conn.pingNanos();
    if (pinged != 0 && lastRead - pinged < 0) { // nothing read since the ping
      if (now - pinged > pongTimeout) {
        metrics.pingTimeout();
        conn.close(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), "ping timeout");
      }
    } else if (now - lastRead > pingInterval) {
      conn.ping(now);
    }
    return false;
  }
}
