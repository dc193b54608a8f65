package dev.juggler.web.handler;

import dev.juggler.protocol.message.Ack;
import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.Msg;
import dev.juggler.protocol.message.Nack;
import dev.juggler.protocol.message.Pub;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.protocol.message.Sub;
import dev.juggler.protocol.message.Unsb;
import java.util.UUID;

/**
 * The line {@link LoggingHandler} writes for a message: connection, direction, type, UUID, what the
 * message is about (URI, channel, the request it answers, a NACK's code and message) and the time
 * it took; the payload only when asked for, since it may hold personal data or secrets.
 */
final class LogLines {
  private LogLines() {}

  static String describe(UUID conn, Msg msg, long micros, boolean payloads) {
    StringBuilder b =
        new StringBuilder(128)
            .append("conn=")
            .append(conn)
            .append(msg.type().isRead() ? " <- " : " -> ")
            .append(msg.type())
            .append(" uuid=")
            .append(msg.uuid());
    RawJson args = null;
    if (msg instanceof Call c) {
      b.append(" uri=").append(c.uri()).append(" timeout=").append(c.timeout().toMillis());
      args = c.args();
    } else if (msg instanceof Pub p) {
      b.append(" channel=").append(p.channel());
      args = p.args();
    } else if (msg instanceof Sub s) {
      b.append(s.pattern() ? " pattern=" : " channel=").append(s.channel());
    } else if (msg instanceof Unsb u) {
      b.append(u.pattern() ? " pattern=" : " channel=").append(u.channel());
    } else if (msg instanceof Ack a) {
      b.append(" for=").append(a.forType()).append(' ').append(a.forUuid());
    } else if (msg instanceof Nack n) {
      b.append(" for=").append(n.forType()).append(' ').append(n.forUuid());
      b.append(" code=").append(n.code()).append(" message=").append(n.message());
    } else if (msg instanceof Res r) {
      b.append(" for=").append(r.forUuid()).append(" uri=").append(r.uri());
      args = r.args();
    } else if (msg instanceof Evnt e) {
      b.append(" channel=").append(e.channel());
      if (e.pattern() != null) {
        b.append(" pattern=").append(e.pattern());
      }
      args = e.args();
    }
    b.append(' ').append(micros).append("us");
    if (payloads && args != null) {
      b.append(" args=").append(args.text());
    }
    return b.toString();
  }
}
