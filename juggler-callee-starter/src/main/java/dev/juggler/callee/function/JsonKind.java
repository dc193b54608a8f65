package dev.juggler.callee.function;

import dev.juggler.protocol.message.RawJson;

/**
 * The kind of a JSON value, told from its first character.
 *
 * <p>Arguments reach the callee as text the server's codec has already validated as exactly one
 * JSON value, so the first non-whitespace character decides the kind without a parse. That lets a
 * function be refused the wrong kind before JSON-B, which would otherwise coerce it (a number into
 * a {@code String}, for instance).
 */
enum JsonKind {
  OBJECT("an object"),
  ARRAY("an array"),
  STRING("a string"),
  NUMBER("a number"),
  BOOLEAN("a boolean"),
  NULL("null");

  private final String label;

  JsonKind(String label) {
    this.label = label;
  }

  /** How the kind reads in an error message ("a string"). */
  String label() {
    return label;
  }

  /**
   * The kind of {@code json}, which must hold one valid JSON value.
   *
   * @throws IllegalArgumentException when the text is blank
   */
  static JsonKind of(RawJson json) {
    String text = json.text();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case ' ', '\t', '\r', '\n':
          continue;
        case '{':
          return OBJECT;
        case '[':
          return ARRAY;
        case '"':
          return STRING;
        case 't', 'f':
          return BOOLEAN;
        case 'n':
          return NULL;
        default:
          return NUMBER;
      }
    }
    throw new IllegalArgumentException("empty JSON value");
  }
}
