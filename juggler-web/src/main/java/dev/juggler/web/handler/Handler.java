package dev.juggler.web.handler;

/**
 * Handles one message of a connection, read or written.
 *
 * <p>Requests are handled on the connection's reading thread, one at a time per connection.
 * Responses (ACK, NACK, RES, EVNT) are handled on whichever thread produced them: the reading
 * thread, or a broker thread delivering results and events; handlers must not block there.
 * Implementations are application-scoped and shared by all connections: keep per-message state in
 * the {@link MsgContext}.
 */
public interface Handler {

  /** Handles the message in {@code ctx}. */
  void handle(MsgContext ctx);
}
