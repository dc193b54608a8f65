package dev.juggler.web.conn;

import dev.juggler.core.codec.ProtocolException;
import dev.juggler.core.message.MsgType;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The endpoint's door into connections, whose reading side is not public API. */
public final class Endpoints {
  private Endpoints() {}

  public static Conn open(
      ConnRegistry registry,
      Session session,
      Set<MsgType> allowed,
      Map<String, List<String>> headers) {
    // Header names are case-insensitive (RFC 9110); containers differ in how they spell the keys.
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      headers.forEach((name, values) -> byName.put(name, List.copyOf(values)));
    }
    return registry.open(session, allowed, Collections.unmodifiableMap(byName));
  }

  public static void text(Conn conn, String text) {
    conn.onText(text);
  }

  public static void violation(Conn conn, ProtocolException e) {
    conn.violation(e);
  }

  /**
   * Replaces, in place, a close reason that the container made from one of its exception messages
   * (which name its classes and ours) with a plain one for the same close code.
   */
  public static void plainReason(CloseReason reason) {
    ContainerErrors.plainReason(reason);
  }

  /** A pong came for the connection. */
  public static void pong(Conn conn) {
    conn.onPong();
  }

  /**
   * Closes with 1008 a session whose handshake must not be served (see {@code Handshake}); it gets
   * no connection.
   */
  public static void refuse(Session session, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, Conn.fit(reason)));
    } catch (java.io.IOException | RuntimeException e) {
      Abort.session(session);
    }
  }

  public static void closed(ConnRegistry registry, Conn conn, CloseReason reason, Throwable error) {
    registry.closed(conn, reason, error);
  }
}
