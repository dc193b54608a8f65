package dev.juggler.protocol.codec;

import dev.juggler.protocol.codec.JsonScanner.Kind;
import dev.juggler.protocol.message.Ack;
import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.Msg;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.protocol.message.Nack;
import dev.juggler.protocol.message.Pub;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.protocol.message.Sub;
import dev.juggler.protocol.message.Unsb;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Decodes and encodes juggler.0 frames.
 *
 * <p>Stateless and thread-safe. Decoding is strict: a frame must hold exactly one JSON object (with
 * optional surrounding whitespace) with a {@code meta} object holding an integer {@code type} and a
 * canonical {@code uuid}, and a {@code payload} object whose known fields have the JSON kinds of
 * the protocol ({@code null} counts as absent). Unknown fields are ignored, as the original did.
 * Every string in the frame, {@code args} and unknown fields included, must be Unicode text: an
 * unpaired surrogate (the escape of a high surrogate without its low half, say) raises a {@link
 * ProtocolException} with close code {@link ProtocolException#INVALID_DATA} (1007).
 */
public final class MsgCodec {

  private MsgCodec() {}

  /**
   * Decodes one frame.
   *
   * @throws ProtocolException when the frame is not a valid juggler.0 message
   */
  public static Msg decode(String frame) throws ProtocolException {
    JsonScanner in = new JsonScanner(frame);
    if (in.peek() != Kind.OBJECT) {
      throw violation("a frame must be a JSON object");
    }
    in.expect('{');
    MsgType type = null;
    UUID uuid = null;
    Map<String, Field> payload = null;
    if (!in.consume('}')) {
      do {
        String name = in.readString();
        in.expect(':');
        switch (name) {
          case "meta" -> {
            Map<String, Field> meta = readObject(in, "meta");
            type = readType(meta);
            uuid = readUuid(meta, "uuid", true);
          }
          case "payload" -> payload = readObject(in, "payload");
          default -> in.skipValue();
        }
      } while (in.consume(','));
      in.expect('}');
    }
    if (!in.atEnd()) {
      throw violation("data after the JSON object");
    }
    if (type == null) {
      throw violation("missing meta");
    }
    if (payload == null) {
      throw violation("missing payload");
    }
    return build(type, uuid, new Payload(payload));
  }

  private static Msg build(MsgType type, UUID uuid, Payload p) throws ProtocolException {
    return switch (type) {
      case CALL -> new Call(uuid, p.string("uri"), p.duration("timeout"), p.raw("args"));
      case PUB -> new Pub(uuid, p.string("channel"), p.raw("args"));
      case SUB -> new Sub(uuid, p.string("channel"), p.bool("pattern"));
      case UNSB -> new Unsb(uuid, p.string("channel"), p.bool("pattern"));
      case ACK -> new Ack(uuid, p.uuid("for"), p.forType(), p.string("uri"), p.string("channel"));
      case NACK ->
          new Nack(
              uuid,
              p.uuid("for"),
              p.forType(),
              p.string("uri"),
              p.string("channel"),
              (int) p.integer("code", Integer.MIN_VALUE, Integer.MAX_VALUE),
              p.string("message"));
      case RES -> new Res(uuid, p.uuid("for"), p.string("uri"), p.raw("args"));
      case EVNT ->
          new Evnt(uuid, p.uuid("for"), p.string("channel"), p.string("pattern"), p.raw("args"));
    };
  }

  private static MsgType readType(Map<String, Field> meta) throws ProtocolException {
    Field f = meta.get("type");
    if (f == null || f.kind == Kind.NULL) {
      throw violation("missing meta.type");
    }
    long code = f.integer("meta.type", Integer.MIN_VALUE, Integer.MAX_VALUE);
    MsgType type = MsgType.ofCode(code);
    if (type == null) {
      throw violation("unknown message type " + code);
    }
    return type;
  }

  private static UUID readUuid(Map<String, Field> fields, String name, boolean required)
      throws ProtocolException {
    Field f = fields.get(name);
    if (f == null || f.kind == Kind.NULL) {
      if (required) {
        throw violation("missing " + name);
      }
      return null;
    }
    return Uuids.parse(f.string(name));
  }

  /** Reads an object's members, keeping each value's kind and raw text (the last one wins). */
  private static Map<String, Field> readObject(JsonScanner in, String what)
      throws ProtocolException {
    if (in.peek() != Kind.OBJECT) {
      throw violation(what + " must be an object");
    }
    in.expect('{');
    Map<String, Field> fields = new HashMap<>(8);
    if (in.consume('}')) {
      return fields;
    }
    do {
      String name = in.readString();
      in.expect(':');
      Kind kind = in.peek();
      int start = in.pos();
      if (kind == Kind.STRING) {
        String value = in.readString();
        fields.put(name, new Field(kind, in.text(), start, in.pos(), value));
      } else {
        in.skipValue();
        fields.put(name, new Field(kind, in.text(), start, in.pos(), null));
      }
    } while (in.consume(','));
    in.expect('}');
    return fields;
  }

  static ProtocolException violation(String reason) {
    return new ProtocolException(ProtocolException.PROTOCOL_ERROR, reason);
  }

  /** A member value: its kind, where its text lies, and for a string the unescaped value. */
  private record Field(Kind kind, String text, int start, int end, String stringValue) {

    String string(String name) throws ProtocolException {
      if (kind != Kind.STRING) {
        throw violation(name + " must be a string");
      }
      return stringValue;
    }

    long integer(String name, long min, long max) throws ProtocolException {
      if (kind != Kind.NUMBER) {
        throw violation(name + " must be an integer");
      }
      long value;
      try {
        value = Long.parseLong(text, start, end, 10);
      } catch (NumberFormatException e) {
        throw violation(name + " must be an integer in range");
      }
      if (value < min || value > max) {
        throw violation(name + " is out of range");
      }
      return value;
    }

    RawJson raw() {
      return new RawJson(text.substring(start, end));
    }
  }

  /** A payload's fields, read by the protocol's field names. */
  private record Payload(Map<String, Field> fields) {

    private Field get(String name) {
      Field f = fields.get(name);
      return f == null || f.kind == Kind.NULL ? null : f;
    }

    String string(String name) throws ProtocolException {
      Field f = get(name);
      return f == null ? null : f.string("payload." + name);
    }

    boolean bool(String name) throws ProtocolException {
      Field f = get(name);
      if (f == null) {
        return false;
      }
      if (f.kind != Kind.TRUE && f.kind != Kind.FALSE) {
        throw violation("payload." + name + " must be a boolean");
      }
      return f.kind == Kind.TRUE;
    }

    long integer(String name, long min, long max) throws ProtocolException {
      Field f = get(name);
      return f == null ? 0 : f.integer("payload." + name, min, max);
    }

    Duration duration(String name) throws ProtocolException {
      return Duration.ofNanos(integer(name, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    UUID uuid(String name) throws ProtocolException {
      return readUuid(fields, name, false);
    }

    MsgType forType() throws ProtocolException {
      Field f = get("for_type");
      if (f == null) {
        return null;
      }
      MsgType t = MsgType.ofCode(f.integer("payload.for_type", 0, Integer.MAX_VALUE));
      if (t == null || !t.isRead()) {
        throw violation("payload.for_type is not a request type");
      }
      return t;
    }

    RawJson raw(String name) {
      Field f = fields.get(name);
      return f == null ? RawJson.NULL : f.raw();
    }
  }

  /**
   * Encodes a message as one JSON object, with the field order and omissions of the original
   * implementation.
   */
  public static String encode(Msg msg) {
    return MsgEncoder.encode(msg);
  }
}
