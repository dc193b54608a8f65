package dev.juggler.web.handler;

import dev.juggler.protocol.message.Msg;
import dev.juggler.protocol.message.Nack;
import dev.juggler.protocol.message.Request;
import dev.juggler.web.conn.Conn;
import java.util.HashMap;
import java.util.Map;

/**
 * One message on its way through the handler chain, with attributes that live as long as the
 * message is handled. Not thread-safe: it belongs to one thread at a time (a PUB held by flow
 * control is published, and answered, on another thread than the one that read it).
 */
public final class MsgContext {
  private final Conn conn;
  private final Msg msg;
  private final long startNanos = System.nanoTime();
  private Map<String, Object> attributes;

  public MsgContext(Conn conn, Msg msg) {
    this.conn = conn;
    this.msg = msg;
  }

  /** The connection that read the message or will write it. */
  public Conn conn() {
    return conn;
  }

  /** The message. */
  public Msg msg() {
    return msg;
  }

  /** When handling started, on the {@link System#nanoTime()} clock. */
  public long startNanos() {
    return startNanos;
  }

  /** An attribute set earlier while handling this message, or {@code null}. */
  @SuppressWarnings("unchecked")
  public <T> T attribute(String name) {
    return attributes == null ? null : (T) attributes.get(name);
  }

  /** Sets an attribute for the rest of this message's handling. */
  public void attribute(String name, Object value) {
    if (attributes == null) {
      attributes = new HashMap<>(4);
    }
    attributes.put(name, value);
  }

  /**
   * Rejects the request being handled: sends a NACK (through the chain) to the connection.
   *
   * @throws IllegalStateException when the message is not a request
   */
  public void nack(int code, String message) {
    if (!(msg instanceof Request request)) {
      throw new IllegalStateException("only a request can be rejected, not " + msg.type());
    }
    conn.send(Nack.of(request, code, message));
  }
}
