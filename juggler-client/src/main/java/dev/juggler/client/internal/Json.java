package dev.juggler.client.internal;

import dev.juggler.protocol.message.RawJson;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.lang.reflect.Type;

/** JSON-B for arguments and results; the JSON-B instance is created on first use and shared. */
public final class Json {

  private Json() {}

  private static final class Holder {
    static final Jsonb JSONB = JsonbBuilder.create();
  }

  /**
   * Encodes {@code value} with JSON-B; a {@link RawJson} is passed through as it is and {@code
   * null} is JSON {@code null}.
   *
   * @throws jakarta.json.bind.JsonbException when it cannot be encoded
   */
  public static RawJson encode(Object value) {
    if (value == null) {
      return RawJson.NULL;
    }
    if (value instanceof RawJson raw) {
      return raw;
    }
    return new RawJson(Holder.JSONB.toJson(value));
  }

  /**
   * Decodes {@code json} into {@code type} with JSON-B.
   *
   * @throws jakarta.json.bind.JsonbException when it does not fit
   */
  public static <T> T decode(RawJson json, Type type) {
    return Holder.JSONB.fromJson(json.text(), type);
  }
}
