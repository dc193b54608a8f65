package dev.juggler.test.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void aReservedPortIsPassedOver() {
    Iterator<Integer> offered = List.of(33439, 33439, 40000).iterator();
    assertEquals(40000, FreePorts.pickAvoiding(Set.of(33439), offered::next));
  }

  @Test
  void onlyReservedPortsOfferedFailLoudly() {
    assertThrows(IllegalStateException.class, () -> FreePorts.pickAvoiding(Set.of(1), () -> 1));
  }

  @Test
  void theReservedPortsComeFromTheSystemProperty() {
    String before = System.getProperty(FreePorts.RESERVED_PORTS);
    System.setProperty(FreePorts.RESERVED_PORTS, "33439, 40000");
    try {
      assertEquals(Set.of(33439, 40000), FreePorts.reserved());
      int port = FreePorts.pick();
      assertEquals(false, Set.of(33439, 40000).contains(port));
    } finally {
      if (before == null) {
        System.clearProperty(FreePorts.RESERVED_PORTS);
      } else {
        System.setProperty(FreePorts.RESERVED_PORTS, before);
      }
    }
  }
}
