package dev.juggler.web.conn;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A connection's lifecycle, fired as CDI events in this order: {@link Accepting}, {@link
 * Connected}, {@link Closed}. Observers run synchronously on the connection's thread and must be
 * quick.
 *
 * <p>The three records below are the only implementations. (The interface is not {@code sealed}:
 * tools that load a WAR's classes through separate class loaders, Arquillian among them, reject
 * sealed hierarchies split that way.)
 */
public interface ConnEvent {

  /** The connection's UUID. */
  UUID connUuid();

  /**
   * The handshake succeeded; the connection is being set up.
   *
   * @param connUuid the connection's UUID
   * @param headers the handshake request headers
   */
  record Accepting(UUID connUuid, Map<String, List<String>> headers) implements ConnEvent {}

  /**
   * The connection is serving messages.
   *
   * @param conn the connection
   */
  record Connected(Conn conn) implements ConnEvent {
    @Override
    public UUID connUuid() {
      return conn.uuid();
    }
  }

  /**
   * The connection is closed and its resources released.
   *
   * @param conn the connection
   * @param code the WebSocket close code
   * @param reason the close reason, possibly empty
   * @param cause the error that closed it, or {@code null}
   */
  record Closed(Conn conn, int code, String reason, Throwable cause) implements ConnEvent {
    @Override
    public UUID connUuid() {
      return conn.uuid();
    }
  }
}
