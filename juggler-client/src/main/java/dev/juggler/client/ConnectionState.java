package dev.juggler.client;

/** The connection states a {@link ConnectionListener} is told about. */
public enum ConnectionState {
  /** The first connection is open. */
  CONNECTED,
  /** The connection was lost; pending calls and requests have failed. */
  DISCONNECTED,
  /** A new connection is open and the subscriptions have been sent again. */
  RECONNECTED,
  /** The client was closed; nothing follows. */
  CLOSED
}
