package dev.juggler.test.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.test.redis.TestRedis.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestRedisModeTest {

  private final String saved = System.getProperty(TestRedis.MODE_PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (saved == null) {
      System.clearProperty(TestRedis.MODE_PROPERTY);
    } else {
      System.setProperty(TestRedis.MODE_PROPERTY, saved);
    }
  }

  @Test
  void modeComesFromTheSystemProperty() {
    System.clearProperty(TestRedis.MODE_PROPERTY);
    assertEquals(Mode.AUTO, Mode.fromSystemProperty());
    System.setProperty(TestRedis.MODE_PROPERTY, " Embedded ");
    assertEquals(Mode.EMBEDDED, Mode.fromSystemProperty());
  }

  @Test
  void unknownModeIsRejectedWithTheChoices() {
    System.setProperty(TestRedis.MODE_PROPERTY, "docker");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, Mode::fromSystemProperty);
    assertTrue(e.getMessage().contains("auto, testcontainers, binary, embedded"), e.getMessage());
  }

  @Test
  void missingBinaryIsReportedWithThePath() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> Launcher.findOnPath("no-such-redis-server-x"));
    assertTrue(e.getMessage().contains("not found on PATH"), e.getMessage());
  }
}
