package dev.juggler.callee.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFrom100msUpTo5s() {
    Backoff backoff = Backoff.forBroker();
    long[] expected = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (long ms : expected) {
      assertEquals(Duration.ofMillis(ms), backoff.next());
    }
    backoff.reset();
    assertEquals(Duration.ofMillis(100), backoff.next());
  }
}
