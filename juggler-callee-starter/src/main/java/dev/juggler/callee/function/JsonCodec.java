package dev.juggler.callee.function;

import dev.juggler.protocol.message.RawJson;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * The JSON-B and JSON-P instances shared by every function of a deployment.
 *
 * <p>Thread-safe: {@link Jsonb} and {@link JsonProvider} instances are. Both are looked up once
 * because the lookup scans service files and is far slower than the work done per call. Kept out of
 * CDI on purpose: a {@code Jsonb} bean here could clash with one produced by another module.
 */
public final class JsonCodec implements AutoCloseable {
  private final Jsonb jsonb;
  private final JsonProvider json;

  public JsonCodec(Jsonb jsonb, JsonProvider json) {
    this.jsonb = Objects.requireNonNull(jsonb, "jsonb");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** A codec with the default JSON-B configuration and the platform's JSON-P provider. */
  public static JsonCodec create() {
    return new JsonCodec(JsonbBuilder.create(), JsonProvider.provider());
  }

  /** The JSON-P provider, for building values. */
  public JsonProvider json() {
    return json;
  }

  /** Parses one JSON value. */
  public JsonValue parse(RawJson raw) {
    try (JsonReader reader = json.createReader(new StringReader(raw.text()))) {
      return reader.readValue();
    }
  }

  /** Decodes {@code raw} into {@code type} with JSON-B. */
  public Object fromJson(RawJson raw, Type type) {
    return jsonb.fromJson(raw.text(), type);
  }

  /**
   * Encodes a function's return value.
   *
   * @param value the value, may be {@code null} (JSON {@code null})
   * @param declared the declared return type; its generic arguments guide JSON-B, otherwise the
   *     runtime type of {@code value} does (so that a subclass's properties are written)
   */
  public RawJson toJson(Object value, Type declared) {
    if (value == null) {
      return RawJson.NULL;
    }
    if (value instanceof JsonValue) {
      return new RawJson(value.toString());
    }
    String text =
        declared instanceof ParameterizedType ? jsonb.toJson(value, declared) : jsonb.toJson(value);
    return new RawJson(text);
  }

  @Override
  public void close() {
    try {
      jsonb.close();
    } catch (Exception e) {
      // Closing releases caches only; nothing a caller could do about a failure.
      throw new IllegalStateException("closing JSON-B failed", e);
    }
  }
}
