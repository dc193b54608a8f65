package dev.juggler.protocol.codec;

import java.util.UUID;

/** Strict parsing of UUIDs in canonical text form (8-4-4-4-12 hexadecimal digits). */
final class Uuids {

  private Uuids() {}

  static UUID parse(String s) throws ProtocolException {
    if (s.length() != 36) {
      throw MsgCodec.violation("not a canonical UUID");
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !JsonScanner.isHexDigit(c)) {
        throw MsgCodec.violation("not a canonical UUID");
      }
    }
    // Validated above, so UUID.fromString's laxer rules no longer matter.
    return UUID.fromString(s);
  }
}
