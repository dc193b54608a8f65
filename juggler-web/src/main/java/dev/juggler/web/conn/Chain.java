package dev.juggler.web.conn;

import dev.juggler.protocol.message.Msg;

/**
 * The handler chain as a connection sees it: every message the connection reads (requests) and
 * every response it is to write goes through it. The chain is made of the handlers in {@code
 * dev.juggler.web.handler}; this type lets connections run it without knowing them, so that the
 * handlers depend on connections and not the other way round.
 */
@FunctionalInterface
public interface Chain {

  /** Handles one message of {@code conn}, read or to be written. */
  void handle(Conn conn, Msg msg);
}
