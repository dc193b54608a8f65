package dev.juggler.callee.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.juggler.protocol.message.RawJson;
import org.junit.jupiter.api.Test;

class JsonKindTest {

  private static JsonKind kind(String text) {
    return JsonKind.of(new RawJson(text));
  }

  @Test
  void toldByTheFirstCharacter() {
    assertEquals(JsonKind.OBJECT, kind(" \t\r\n{}"));
    assertEquals(JsonKind.ARRAY, kind("[]"));
    assertEquals(JsonKind.STRING, kind("\"5\""));
    assertEquals(JsonKind.NUMBER, kind("-1e5"));
    assertEquals(JsonKind.NUMBER, kind("0"));
    assertEquals(JsonKind.BOOLEAN, kind("true"));
    assertEquals(JsonKind.BOOLEAN, kind("false"));
    assertEquals(JsonKind.NULL, kind("null"));
  }

  @Test
  void blankIsNoValue() {
    assertThrows(IllegalArgumentException.class, () -> kind("  "));
  }
}
