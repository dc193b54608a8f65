package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.juggler.protocol.message.MsgType;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class AllowedMessagesTest {
  private static final EnumSet<MsgType> ALL =
      EnumSet.of(MsgType.CALL, MsgType.PUB, MsgType.SUB, MsgType.UNSB);

  @Test
  void absentEmptyOrStarAllowsEverything() {
    assertEquals(ALL, AllowedMessages.parse(null));
    assertEquals(ALL, AllowedMessages.parse(""));
    assertEquals(ALL, AllowedMessages.parse("  "));
    assertEquals(ALL, AllowedMessages.parse("*"));
    assertEquals(ALL, AllowedMessages.parse("call, *"));
  }

  @Test
  void listIsCaseInsensitiveAndTrimmed() {
    assertEquals(EnumSet.of(MsgType.CALL, MsgType.PUB), AllowedMessages.parse(" Call ,PUB"));
    assertEquals(EnumSet.of(MsgType.SUB, MsgType.UNSB), AllowedMessages.parse("sub,unsb,"));
  }

  @Test
  void unknownNamesAreRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AllowedMessages.parse("call,evnt"));
    assertEquals("Juggler-Allowed-Messages: unknown message type 'evnt'", e.getMessage());
  }
}
