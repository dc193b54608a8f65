package dev.juggler.web.conn;

import jakarta.websocket.CloseReason;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plain close reasons for the frames the container refuses.
 *
 * <p>Open Liberty closes a connection whose frame it refuses (a reserved opcode, an unmasked frame,
 * a continuation without a start, a message over the read limit, invalid UTF-8) with its exception
 * message as the reason, such as {@code CWWKH0030E: Exception occurred while reading an incoming
 * WebSocket message in ServerEndpoint class com.ibm.ws.wsoc.AnnotatedEndpoint…}, and calls the
 * endpoint's {@code @OnClose} with that reason just before it writes the close frame. There is no
 * API to change it, so the reason phrase of that {@link CloseReason} is replaced in place (by
 * reflection on the API class's field) with a plain one for its close code. Should that fail, the
 * container's reason goes out unchanged, and the log says so once.
 */
public final class ContainerErrors {
  private static final Logger LOG = Logger.getLogger(ContainerErrors.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private ContainerErrors() {}

  /** Whether a close reason is one the container made from an exception message. */
  static boolean fromContainer(String phrase) {
    return phrase != null
        && (phrase.startsWith("CWWK")
            || phrase.contains("Exception")
            || phrase.contains("com.ibm.")
            || phrase.contains("dev.juggler."));
  }

  /** The plain reason for a close code the container uses when it refuses a frame. */
  static String plain(int code) {
    return switch (code) {
      case 1002 -> "protocol error: invalid frame";
      case 1003 -> "unsupported data";
      case 1007 -> "invalid UTF-8 in a text frame";
      case 1009 -> "read limit exceeded";
      default -> "connection closed";
    };
  }

  /**
   * Replaces, in place, a close reason that the container made from one of its exception messages
   * (which name its classes and ours) with a plain one for the same close code.
   */
  public static void plainReason(CloseReason reason) {
    if (reason == null || !fromContainer(reason.getReasonPhrase())) {
      return;
    }
    try {
      Field f = CloseReason.class.getDeclaredField("reasonPhrase");
      f.setAccessible(true);
      f.set(reason, plain(reason.getCloseCode().getCode()));
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.log(Level.INFO, "cannot replace the container's close reasons: " + e);
      }
    }
  }
}
