package dev.juggler.callee.function;

import dev.juggler.callee.RpcException;
import dev.juggler.protocol.message.RawJson;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Chooses the {@link ParamDecoder} for a parameter type, enforcing the JSON kind strictly.
 *
 * <p>JSON-B implementations coerce (Yasson reads the number {@code 5} into the {@code String}
 * {@code "5"}), which the protocol forbids for the example callees and which hides client bugs
 * generally. So the kind is checked first; scalars are then converted here, exactly (an {@code int}
 * parameter refuses {@code 5.5} and {@code 1e10}), and only structured types go through JSON-B. The
 * check is on the top-level value only: nested members follow JSON-B's own rules.
 */
public final class ParamDecoders {
  private static final Set<JsonKind> ANY = EnumSet.allOf(JsonKind.class);

  private ParamDecoders() {}

  /** The decoder for a parameter of declared type {@code type}. */
  public static ParamDecoder forType(Type type, JsonCodec codec) {
    Class<?> raw = rawClass(type);
    if (JsonValue.class.isAssignableFrom(raw)) {
      return args -> jsonValue(raw, args, codec);
    }
    if (raw == String.class || raw == CharSequence.class) {
      return args -> string(args, codec);
    }
    if (raw == char.class || raw == Character.class) {
      return args -> character(args, codec);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return ParamDecoders::bool;
    }
    NumberType number = NumberType.of(raw);
    if (number != null) {
      return args -> number.convert(((JsonNumber) parse(args, JsonKind.NUMBER, codec)));
    }
    // TypeVariables and wildcards mean nothing to JSON-B: give it their bound.
    Type target = type instanceof Class<?> || type instanceof ParameterizedType ? type : raw;
    if (raw.isEnum()) {
      return args -> viaJsonb(args, target, EnumSet.of(JsonKind.STRING), "a string", codec);
    }
    if (raw.isArray() || Iterable.class.isAssignableFrom(raw)) {
      Set<JsonKind> allowed = EnumSet.of(JsonKind.ARRAY, JsonKind.NULL);
      return args -> viaJsonb(args, target, allowed, "an array or null", codec);
    }
    if (raw == Object.class) {
      return args -> viaJsonb(args, target, ANY, "any value", codec);
    }
    // Maps and beans alike are JSON objects.
    Set<JsonKind> allowed = EnumSet.of(JsonKind.OBJECT, JsonKind.NULL);
    return args -> viaJsonb(args, target, allowed, "an object or null", codec);
  }

  /** The class a declared type erases to. */
  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return rawClass(p.getRawType());
    }
    if (type instanceof GenericArrayType g) {
      return Array.newInstance(rawClass(g.getGenericComponentType()), 0).getClass();
    }
    if (type instanceof TypeVariable<?> v) {
      return rawClass(v.getBounds()[0]);
    }
    if (type instanceof WildcardType w) {
      return rawClass(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  static RpcException invalid(String expected, JsonKind got) {
    return new RpcException("invalid argument: expected " + expected + ", got " + got.label());
  }

  private static JsonValue parse(RawJson args, JsonKind expected, JsonCodec codec) {
    JsonKind kind = JsonKind.of(args);
    if (kind != expected) {
      throw invalid(expected.label(), kind);
    }
    return codec.parse(args);
  }

  private static Object jsonValue(Class<?> type, RawJson args, JsonCodec codec) {
    JsonValue value = codec.parse(args);
    if (!type.isInstance(value)) {
      throw invalid(type.getSimpleName(), JsonKind.of(args));
    }
    return value;
  }

  private static String string(RawJson args, JsonCodec codec) {
    return ((JsonString) parse(args, JsonKind.STRING, codec)).getString();
  }

  private static Character character(RawJson args, JsonCodec codec) {
    String s = string(args, codec);
    if (s.length() != 1) {
      throw new RpcException("invalid argument: expected a one-character string");
    }
    return s.charAt(0);
  }

  private static Boolean bool(RawJson args) {
    JsonKind kind = JsonKind.of(args);
    if (kind != JsonKind.BOOLEAN) {
      throw invalid(JsonKind.BOOLEAN.label(), kind);
    }
    // Valid JSON whose first letter is t can only be true.
    return args.text().strip().charAt(0) == 't';
  }

  private static Object viaJsonb(
      RawJson args, Type type, Set<JsonKind> allowed, String expected, JsonCodec codec) {
    JsonKind kind = JsonKind.of(args);
    if (!allowed.contains(kind)) {
      throw invalid(expected, kind);
    }
    return kind == JsonKind.NULL ? null : codec.fromJson(args, type);
  }
}
