package dev.juggler.callee.function;

import dev.juggler.protocol.message.RawJson;
import java.util.Objects;

/**
 * What serving one call produced.
 *
 * @param result the result to store for the caller: the function's value or an error object; never
 *     {@code null}
 * @param failed whether {@code result} is an error result
 */
public record Outcome(RawJson result, boolean failed) {

  public Outcome {
    Objects.requireNonNull(result, "result");
  }

  public static Outcome success(RawJson result) {
    return new Outcome(result, false);
  }

  public static Outcome failure(RawJson error) {
    return new Outcome(error, true);
  }
}
