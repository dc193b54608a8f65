package dev.juggler.callee.function;

import dev.juggler.callee.RpcException;
import jakarta.json.JsonNumber;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/** Exact conversions of a JSON number to the numeric parameter types. */
enum NumberType {
  INT("an integer within int range"),
  LONG("an integer within long range"),
  SHORT("an integer within short range"),
  BYTE("an integer within byte range"),
  BIG_INTEGER("an integer"),
  BIG_DECIMAL("a number"),
  DOUBLE("a number within double range"),
  FLOAT("a number within float range");

  private static final Map<Class<?>, NumberType> BY_CLASS =
      Map.ofEntries(
          Map.entry(int.class, INT),
          Map.entry(Integer.class, INT),
          Map.entry(long.class, LONG),
          Map.entry(Long.class, LONG),
          Map.entry(short.class, SHORT),
          Map.entry(Short.class, SHORT),
          Map.entry(byte.class, BYTE),
          Map.entry(Byte.class, BYTE),
          Map.entry(BigInteger.class, BIG_INTEGER),
          Map.entry(BigDecimal.class, BIG_DECIMAL),
          Map.entry(Number.class, BIG_DECIMAL),
          Map.entry(double.class, DOUBLE),
          Map.entry(Double.class, DOUBLE),
          Map.entry(float.class, FLOAT),
          Map.entry(Float.class, FLOAT));

  // More integer digits than any sane argument; stops 1e999999999 allocating a huge BigInteger.
  private static final int MAX_INTEGER_DIGITS = 4096;

  private final String expected;

  NumberType(String expected) {
    this.expected = expected;
  }

  static NumberType of(Class<?> type) {
    return BY_CLASS.get(type);
  }

  Object convert(JsonNumber number) {
    try {
      BigDecimal d = number.bigDecimalValue();
      switch (this) {
        case INT:
          return d.intValueExact();
        case LONG:
          return d.longValueExact();
        case SHORT:
          return d.shortValueExact();
        case BYTE:
          return d.byteValueExact();
        case BIG_INTEGER:
          if (d.precision() - d.scale() > MAX_INTEGER_DIGITS) {
            throw new ArithmeticException("too many digits");
          }
          return d.toBigIntegerExact();
        case DOUBLE:
          return finite(d.doubleValue());
        case FLOAT:
          return (float) finite(d.floatValue());
        default:
          return d;
      }
    } catch (ArithmeticException | UnsupportedOperationException e) {
      throw new RpcException("invalid argument: expected " + expected + ", got " + number, e);
    }
  }

  private static double finite(double d) {
    if (Double.isInfinite(d)) {
      throw new ArithmeticException("out of range");
    }
    return d;
  }
}
