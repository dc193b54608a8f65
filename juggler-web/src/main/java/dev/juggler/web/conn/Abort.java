package dev.juggler.web.conn;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Last-resort closing of a session whose close never completed.
 *
 * <p>Open Liberty's {@code Session.close} sends a close frame and then waits for the client's on
 * the connection's reading side. When that side has stopped (the container threw on a frame, such
 * as a close frame with an invalid code, and no longer reads the connection) the wait never ends:
 * the socket stays in CLOSE_WAIT with its file descriptor, whatever the peer does. There is no API
 * to abort a session, so this closes the container's TCP link of the session directly, found by
 * reflection on Liberty's implementation ({@code SessionExt.getSessionImpl().connLink}: its {@code
 * deviceConnLink.close(vConnection, null)}, which is how Liberty itself ends a connection). On
 * another container, or should those names change, it falls back to {@code Session.close} and says
 * so once in the log.
 */
final class Abort {
  private static final Logger LOG = Logger.getLogger(Abort.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private Abort() {}

  /** Closes {@code session}'s socket now; never throws. */
  static void session(Session session) {
    try {
      Object link = connLink(session);
      Object device = field(link, "deviceConnLink");
      Object vc = field(link, "vConnection");
      for (Method m : device.getClass().getMethods()) {
        if (m.getName().equals("close") && m.getParameterCount() == 2) {
          m.invoke(device, vc, null);
          return;
        }
      }
      throw new NoSuchMethodException("close(VirtualConnection, Exception)");
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "cannot abort WebSocket connections on this container ("
                + e
                + "): a connection whose close never completes may keep its socket");
      }
      try {
        session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, ""));
      } catch (IOException | RuntimeException again) {
        LOG.log(Level.FINE, "closing a session", again);
      }
    }
  }

  /**
   * Liberty's link of a session, {@code SessionExt.getSessionImpl().connLink}: what reads and
   * writes its connection.
   */
  static Object connLink(Session session) throws ReflectiveOperationException {
    Object impl = session.getClass().getMethod("getSessionImpl").invoke(session);
    return field(impl, "connLink");
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        Object value = f.get(owner);
        if (value == null) {
          throw new NoSuchFieldException(name + " is null");
        }
        return value;
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(name);
  }
}
