package dev.juggler.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration MIN = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(10);

  @Test
  void doublesFromTheMinimumWithoutJitterAtTheTop() {
    Backoff b = new Backoff(MIN, MAX, () -> 0.999999999);
    assertEquals(100, b.delay(0).toMillis(), 1);
    assertEquals(200, b.delay(1).toMillis(), 1);
    assertEquals(800, b.delay(3).toMillis(), 1);
  }

  @Test
  void jitterGoesDownToHalf() {
    Backoff b = new Backoff(MIN, MAX, () -> 0.0);
    assertEquals(Duration.ofMillis(50), b.delay(0));
    assertEquals(Duration.ofMillis(400), b.delay(3));
  }

  @Test
  void cappedAtTheMaximumForAnyAttempt() {
    Backoff b = new Backoff(MIN, MAX, () -> 0.999999999);
    for (int attempt : new int[] {7, 8, 30, 62, 63, 64, 1000, Integer.MAX_VALUE}) {
      Duration d = b.delay(attempt);
      assertTrue(d.compareTo(MAX) <= 0 && d.compareTo(MAX.dividedBy(2)) >= 0, attempt + ": " + d);
    }
  }

  @Test
  void realJitterStaysInRange() {
    Backoff b = new Backoff(MIN, MAX);
    for (int i = 0; i < 1000; i++) {
      Duration d = b.delay(2);
      assertTrue(d.toMillis() >= 200 && d.toMillis() <= 400, d.toString());
    }
  }
}
