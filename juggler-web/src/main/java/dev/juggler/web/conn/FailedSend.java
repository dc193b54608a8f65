package dev.juggler.web.conn;

import jakarta.websocket.Session;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the container that a blocking send which threw is over.
 *
 * <p>Open Liberty marks a connection as writing for the time of a blocking send ({@code
 * RemoteEndpoint.Basic}) and clears the mark when the send returns, but not when it throws (a
 * connection closed under it, a broken pipe). A close frame that the client sends afterwards then
 * waits for the mark to clear, for ever, on one of the container's threads; the thread is lost and
 * the server can no longer stop within its quiesce time. So once a send has thrown, this clears the
 * mark the way Liberty does after a send that returned (the link's {@code signalNotWriting()}, by
 * reflection, on the link {@link Abort#connLink} finds). On another container, or should those
 * names change, it does nothing and says so once in the log.
 */
final class FailedSend {
  private static final Logger LOG = Logger.getLogger(FailedSend.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private FailedSend() {}

  /** A blocking send on {@code session} threw: it is over. Never throws. */
  static void over(Session session) {
    try {
      Object link = Abort.connLink(session);
      link.getClass().getMethod("signalNotWriting").invoke(link);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "cannot tell this container that a failed send is over ("
                + e
                + "): if it still counts it as writing, the client's close frame may wait for it");
      }
    }
  }
}
