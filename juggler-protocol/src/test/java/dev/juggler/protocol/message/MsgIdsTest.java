package dev.juggler.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MsgIdsTest {

  @Test
  void idsAreRandomVersion4WithTheIetfVariant() {
    for (int i = 0; i < 1000; i++) {
      UUID id = MsgIds.next();
      assertEquals(4, id.version(), id.toString());
      assertEquals(2, id.variant(), id.toString());
      // the same as what the codec reads back
      assertEquals(id, UUID.fromString(id.toString()));
    }
  }

  @Test
  void idsDoNotRepeat() {
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(MsgIds.next());
    }
    assertEquals(100_000, seen.size());
  }
}
