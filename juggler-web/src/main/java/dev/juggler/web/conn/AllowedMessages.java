package dev.juggler.web.conn;

import dev.juggler.protocol.message.MsgType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Parses the {@code Juggler-Allowed-Messages} handshake header. */
public final class AllowedMessages {

  /** The handshake header that restricts what a connection may send. */
  public static final String HEADER = "Juggler-Allowed-Messages";

  private static final Set<MsgType> ALL =
      Collections.unmodifiableSet(EnumSet.of(MsgType.CALL, MsgType.PUB, MsgType.SUB, MsgType.UNSB));

  private AllowedMessages() {}

  /**
   * The request types a connection may send, from the header's value.
   *
   * @param header the header value; {@code null}, blank or {@code *} allows every request
   * @throws IllegalArgumentException when the value names something other than call, pub, sub or
   *     unsb
   */
  public static Set<MsgType> parse(String header) {
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return ALL;
    }
    EnumSet<MsgType> allowed = EnumSet.noneOf(MsgType.class);
    for (String part : header.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      MsgType type =
          switch (name) {
            case "call" -> MsgType.CALL;
            case "pub" -> MsgType.PUB;
            case "sub" -> MsgType.SUB;
            case "unsb" -> MsgType.UNSB;
            case "*" -> null;
            default ->
                throw new IllegalArgumentException(
                    HEADER + ": unknown message type '" + part.trim() + "'");
          };
      if (type == null) {
        return ALL;
      }
      allowed.add(type);
    }
    return allowed.isEmpty() ? ALL : Collections.unmodifiableSet(allowed);
  }
}
