package dev.juggler.protocol.codec;

import dev.juggler.protocol.message.Ack;
import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.Msg;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.protocol.message.Nack;
import dev.juggler.protocol.message.Pub;
import dev.juggler.protocol.message.Res;
import dev.juggler.protocol.message.Sub;
import dev.juggler.protocol.message.Unsb;
import java.util.UUID;

/** Writes messages as JSON text; raw arguments are copied as they are. */
final class MsgEncoder {

  private final StringBuilder sb = new StringBuilder(128);
  private boolean first = true;

  private MsgEncoder() {}

  static String encode(Msg msg) {
    MsgEncoder e = new MsgEncoder();
    e.sb
        .append("{\"meta\":{\"type\":")
        .append(msg.type().code())
        .append(",\"uuid\":\"")
        .append(msg.uuid())
        .append("\"},\"payload\":{");
    // Java 17 has no pattern matching for switch; the sealed hierarchy keeps this list complete.
    if (msg instanceof Call c) {
      e.string("uri", c.uri());
      e.number("timeout", c.timeout().toNanos());
      e.raw("args", c.args().text());
    } else if (msg instanceof Pub p) {
      e.string("channel", p.channel());
      e.raw("args", p.args().text());
    } else if (msg instanceof Sub s) {
      e.subscription(s.channel(), s.pattern());
    } else if (msg instanceof Unsb u) {
      e.subscription(u.channel(), u.pattern());
    } else if (msg instanceof Ack a) {
      e.ackFields(a.forUuid(), a.forType(), a.uri(), a.channel());
    } else if (msg instanceof Nack n) {
      e.ackFields(n.forUuid(), n.forType(), n.uri(), n.channel());
      e.number("code", n.code());
      e.string("message", n.message());
    } else if (msg instanceof Res r) {
      e.uuid("for", r.forUuid());
      e.optionalString("uri", r.uri());
      e.raw("args", r.args().text());
    } else if (msg instanceof Evnt v) {
      e.uuid("for", v.forUuid());
      e.optionalString("channel", v.channel());
      e.optionalString("pattern", v.pattern());
      e.raw("args", v.args().text());
    }
    return e.sb.append("}}").toString();
  }

  private void subscription(String channel, boolean pattern) {
    string("channel", channel);
    name("pattern");
    sb.append(pattern);
  }

  private void ackFields(UUID forUuid, MsgType forType, String uri, String channel) {
    uuid("for", forUuid);
    number("for_type", forType == null ? 0 : forType.code());
    optionalString("uri", uri);
    optionalString("channel", channel);
  }

  private void name(String name) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    sb.append('"').append(name).append("\":");
  }

  private void uuid(String name, UUID value) {
    if (value != null) {
      name(name);
      sb.append('"').append(value).append('"');
    }
  }

  private void number(String name, long value) {
    name(name);
    sb.append(value);
  }

  private void raw(String name, String json) {
    name(name);
    sb.append(json);
  }

  private void optionalString(String name, String value) {
    if (value != null && !value.isEmpty()) {
      string(name, value);
    }
  }

  private void string(String name, String value) {
    name(name);
    quote(sb, value == null ? "" : value);
  }

  /** Appends {@code s} as a JSON string literal. */
  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(s, i)) {
            // A lone surrogate (from a JSON escape) has no UTF-8 form; escaped, it survives.
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
