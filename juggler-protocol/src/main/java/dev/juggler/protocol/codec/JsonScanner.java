package dev.juggler.protocol.codec;

import java.util.Arrays;

/**
 * A strict RFC 8259 scanner over a string: validates values and reports where they start and end.
 *
 * <p>Iterative, so that deeply nested input cannot exhaust the stack of the thread reading it.
 */
final class JsonScanner {

  /** The JSON kind of a scanned value. */
  enum Kind {
    OBJECT,
    ARRAY,
    STRING,
    NUMBER,
    TRUE,
    FALSE,
    NULL
  }

  private final String s;
  private int pos;

  JsonScanner(String s) {
    this.s = s;
  }

  int pos() {
    return pos;
  }

  String text() {
    return s;
  }

  boolean atEnd() {
    skipWhitespace();
    return pos >= s.length();
  }

  void skipWhitespace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  /** Consumes {@code c}, after optional whitespace. */
  void expect(char c) throws ProtocolException {
    skipWhitespace();
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  /** Consumes {@code c} if it comes next, after optional whitespace. */
  boolean consume(char c) {
    skipWhitespace();
    if (pos < s.length() && s.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  /** The kind of the value that starts next, after optional whitespace; nothing is consumed. */
  Kind peek() throws ProtocolException {
    skipWhitespace();
    if (pos >= s.length()) {
      throw error("unexpected end of JSON");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return Kind.OBJECT;
      case '[':
        return Kind.ARRAY;
      case '"':
        return Kind.STRING;
      case 't':
        return Kind.TRUE;
      case 'f':
        return Kind.FALSE;
      case 'n':
        return Kind.NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return Kind.NUMBER;
        }
        throw error("unexpected character");
    }
  }

  /** Reads a string value and returns it unescaped. */
  String readString() throws ProtocolException {
    skipWhitespace();
    if (pos >= s.length() || s.charAt(pos) != '"') {
      // Without this check skipString would take any character for the opening quote.
      throw error("expected a string");
    }
    int start = pos;
    skipString();
    return unescape(start + 1, pos - 1);
  }

  /** Validates and consumes one JSON value of any kind, nested values included. */
  void skipValue() throws ProtocolException {
    // Explicit stack of open containers (true: object, false: array), so that nesting depth is
    // bounded by the read limit and not by the thread's stack.
    boolean[] stack = new boolean[16];
    int depth = 0;
    while (true) {
      // A value is expected here.
      Kind kind = peek();
      if (kind == Kind.OBJECT || kind == Kind.ARRAY) {
        pos++;
        boolean isObject = kind == Kind.OBJECT;
        if (!consume(isObject ? '}' : ']')) {
          if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
          }
          stack[depth++] = isObject;
          if (isObject) {
            readMemberName();
          }
          continue;
        }
      } else {
        skipScalar(kind);
      }
      // A value just ended: close containers until one has a next element.
      while (depth > 0) {
        boolean isObject = stack[depth - 1];
        if (consume(',')) {
          if (isObject) {
            readMemberName();
          }
          break;
        }
        expect(isObject ? '}' : ']');
        depth--;
      }
      if (depth == 0) {
        return;
      }
    }
  }

  private void readMemberName() throws ProtocolException {
    skipWhitespace();
    if (pos >= s.length() || s.charAt(pos) != '"') {
      throw error("expected a member name");
    }
    skipString();
    expect(':');
  }

  private void skipScalar(Kind kind) throws ProtocolException {
    switch (kind) {
      case STRING -> skipString();
      case NUMBER -> skipNumber();
      case TRUE -> literal("true");
      case FALSE -> literal("false");
      case NULL -> literal("null");
      default -> throw new IllegalStateException(kind.name());
    }
  }

  private void literal(String word) throws ProtocolException {
    if (!s.startsWith(word, pos)) {
      throw error("invalid literal");
    }
    pos += word.length();
  }

  private void skipString() throws ProtocolException {
    pos++; // opening quote
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (Character.isSurrogate(c)) {
        // Raw, as a Java string holds it: only a high surrogate followed by a low one.
        if (Character.isLowSurrogate(c)
            || pos >= s.length()
            || !Character.isLowSurrogate(s.charAt(pos))) {
          throw unpairedSurrogate(pos - 1);
        }
        pos++;
      } else if (c == '\\') {
        if (pos >= s.length()) {
          break;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
          case 'u' -> skipUnicodeEscape();
          default -> throw error("invalid escape");
        }
      }
    }
    throw error("unterminated string");
  }

  /**
   * Consumes the four hex digits of a Unicode escape, and for a high surrogate the escape of the
   * low surrogate that must follow it. RFC 8259 lets an escape name a lone surrogate, but such a
   * string is not Unicode text: it has no UTF-8 form (RFC 7493, I-JSON, forbids it), so a Redis
   * client or another peer would alter it on the way.
   */
  private void skipUnicodeEscape() throws ProtocolException {
    int escape = pos - 2;
    char unit = hex4();
    if (Character.isLowSurrogate(unit)) {
      throw unpairedSurrogate(escape);
    }
    if (Character.isHighSurrogate(unit)) {
      if (!s.startsWith("\\u", pos)) {
        throw unpairedSurrogate(escape);
      }
      pos += 2;
      if (!Character.isLowSurrogate(hex4())) {
        throw unpairedSurrogate(escape);
      }
    }
  }

  private char hex4() throws ProtocolException {
    if (pos + 4 > s.length()) {
      pos = s.length();
      throw error("invalid \\u escape");
    }
    for (int i = 0; i < 4; i++) {
      if (!isHexDigit(s.charAt(pos))) {
        throw error("invalid \\u escape");
      }
      pos++;
    }
    return (char) Integer.parseInt(s, pos - 4, pos, 16);
  }

  private ProtocolException unpairedSurrogate(int at) {
    return new ProtocolException(
        ProtocolException.INVALID_DATA, "invalid text: unpaired surrogate at offset " + at);
  }

  private void skipNumber() throws ProtocolException {
    if (s.charAt(pos) == '-') {
      pos++;
    }
    if (pos < s.length() && s.charAt(pos) == '0') {
      pos++;
    } else if (digits() == 0) {
      throw error("invalid number");
    }
    if (pos < s.length() && s.charAt(pos) == '.') {
      pos++;
      if (digits() == 0) {
        throw error("invalid number");
      }
    }
    if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      if (digits() == 0) {
        throw error("invalid number");
      }
    }
  }

  /**
   * ASCII hexadecimal digits only: {@link Character#digit(char, int)} also takes other scripts'
   * digits and full-width letters, which JSON does not.
   */
  static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private int digits() {
    int start = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    return pos - start;
  }

  /** Unescapes the already validated string content between {@code from} and {@code to}. */
  private String unescape(int from, int to) {
    int bs = s.indexOf('\\', from);
    if (bs < 0 || bs >= to) {
      return s.substring(from, to);
    }
    StringBuilder sb = new StringBuilder(to - from);
    sb.append(s, from, bs);
    int i = bs;
    while (i < to) {
      char c = s.charAt(i++);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s, i, i + 4, 16));
          i += 4;
        }
        default -> sb.append(e);
      }
    }
    return sb.toString();
  }

  ProtocolException error(String what) {
    return new ProtocolException(
        ProtocolException.PROTOCOL_ERROR, "invalid JSON: " + what + " at offset " + pos);
  }
}
