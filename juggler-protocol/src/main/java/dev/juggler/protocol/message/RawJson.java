package dev.juggler.protocol.message;

import java.util.Objects;

/**
 * A JSON value kept as the exact text it was received in.
 *
 * <p>The server and the brokers never decode arguments: numbers of any size, any string escapes and
 * key order reach the callee or the subscriber as the sender wrote them. Instances are created by
 * the codec, which has already checked that the text is one valid JSON value.
 *
 * @param text the JSON text, never {@code null}
 */
public record RawJson(String text) {

  /** The JSON {@code null} literal. */
  public static final RawJson NULL = new RawJson("null");

  public RawJson {
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return text;
  }
}
