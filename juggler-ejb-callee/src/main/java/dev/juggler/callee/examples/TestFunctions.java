package dev.juggler.callee.examples;

import dev.juggler.callee.CallContext;
import dev.juggler.callee.RpcException;
import dev.juggler.callee.RpcFunction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.concurrent.TimeUnit;

/**
 * The test URIs of the juggler.0 protocol. Stateless, thread-safe.
 *
 * <p>{@code test.echo} and {@code test.reverse} take a {@code String}, so the registry refuses any
 * other JSON kind before they run. {@code test.delay} takes a raw {@link JsonValue} because it
 * accepts two kinds.
 */
@ApplicationScoped
public class TestFunctions {

  /** A JSON string, returned unchanged. */
  @RpcFunction("test.echo")
  public String echo(String value) {
    return value;
  }

  /** A JSON string reversed by code point, so that a surrogate pair stays one character. */
  @RpcFunction("test.reverse")
  public String reverse(String value) {
    int[] codePoints = value.codePoints().toArray();
    for (int i = 0, j = codePoints.length - 1; i < j; i++, j--) {
      int swap = codePoints[i];
      codePoints[i] = codePoints[j];
      codePoints[j] = swap;
    }
    return new String(codePoints, 0, codePoints.length);
  }

  /**
   * Sleeps for the given milliseconds ({@code "150"} or {@code 150}) and returns them as a number.
   *
   * <p>Sleeps no longer than the call has left (a later result would be dropped anyway), and stops
   * early when the worker is interrupted because the application stops.
   */
  @RpcFunction("test.delay")
  public long delay(JsonValue millis) {
    long ms = DelayArgument.millis(millis);
    long nanos = Math.min(TimeUnit.MILLISECONDS.toNanos(ms), CallContext.remainingNanos());
    try {
      if (nanos > 0) {
        TimeUnit.NANOSECONDS.sleep(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException("test.delay interrupted: the callee is stopping", e);
    }
    return ms;
  }

  /** Parsing of {@code test.delay}'s argument. */
  static final class DelayArgument {
    private DelayArgument() {}

    static long millis(JsonValue value) {
      long ms;
      if (value instanceof JsonString s) {
        ms = parse(s.getString());
      } else if (value instanceof JsonNumber n) {
        ms = exact(n);
      } else {
        throw new RpcException(
            "test.delay: expected milliseconds as a JSON string or number, got " + value);
      }
      if (ms < 0) {
        throw new RpcException("test.delay: negative delay " + ms);
      }
      return ms;
    }

    private static long parse(String text) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new RpcException("test.delay: not an integer number of milliseconds: " + quote(text));
      }
    }

    private static long exact(JsonNumber number) {
      try {
        return number.bigDecimalValue().longValueExact();
      } catch (ArithmeticException e) {
        throw new RpcException("test.delay: not an integer number of milliseconds: " + number);
      }
    }

    private static String quote(String text) {
      String shortened = text.length() > 40 ? text.substring(0, 40) + "..." : text;
      return "\"" + shortened + "\"";
    }
  }
}
