package dev.juggler.web.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The file descriptors kept for the server ({@code juggler.server.fd-reserve}). */
class ServerConfigTest {

  private static long reserve(String value, long maxFiles) {
    ServerConfig c = new ServerConfig();
    c.fdReserve = value;
    return c.fdReserve(maxFiles);
  }

  @Test
  void aPercentageOfTheLimitAtLeast64() {
    assertEquals(103, reserve("10%", 1024));
    assertEquals(104_858, reserve("10%", 1_048_576));
    assertEquals(64, reserve("10%", 256), "never under 64");
    assertEquals(1024, reserve("100%", 1024));
    assertEquals(64, reserve("0%", 1024));
  }

  @Test
  void aNumber() {
    assertEquals(200, reserve(" 200 ", 1024));
    assertEquals(64, reserve("10", 1024), "never under 64");
  }

  @Test
  void anythingElseNamesTheProperty() {
    for (String bad : new String[] {"ten", "-5", "150%", "%", "5 %x"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> reserve(bad, 1024), bad);
      assertTrue(e.getMessage().startsWith("juggler.server.fd-reserve"), e.getMessage());
    }
  }
}
