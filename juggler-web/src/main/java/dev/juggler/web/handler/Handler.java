package dev.juggler.web.handler;

/**
 * Handles one message of a connection, read or written.
 *
 * <p>Requests are handled one at a time per connection, in the order they were read: on the
 * connection's reading thread, or, behind a PUB held by publisher flow control, on the executor
 * thread that lets it go. The standard handler then publishes that PUB, and answers it, after the
 * chain's call for it has returned. Responses (ACK, NACK, RES, EVNT) are handled on whichever
 * thread produced them: a thread handling requests, or a broker thread delivering results and
 * events; handlers must not block there. Implementations are application-scoped and shared by all
 * connections: keep per-message state in the {@link MsgContext}.
 */
public interface Handler {

  /** Handles the message in {@code ctx}. */
  void handle(MsgContext ctx);
}
