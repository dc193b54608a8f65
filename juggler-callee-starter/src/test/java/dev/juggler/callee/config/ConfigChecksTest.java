package dev.juggler.callee.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigChecksTest {

  @Test
  void rangeErrorsNameTheProperty() {
    assertEquals(8, ConfigChecks.inRange(CalleeConfig.WORKERS, 8, 1, 1024));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ConfigChecks.inRange(CalleeConfig.WORKERS, 0, 1, 1024));
    assertTrue(e.getMessage().contains("juggler.callee.workers=0"), e.getMessage());
  }

  @Test
  void lists() {
    assertEquals(Optional.empty(), ConfigChecks.list(Optional.empty()));
    assertEquals(Optional.empty(), ConfigChecks.list(Optional.of(" , ")));
    assertEquals(
        Optional.of(List.of("test.echo", "test.delay")),
        ConfigChecks.list(Optional.of(" test.echo,,test.delay ")));
  }
}
