package dev.juggler.backoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  @Test
  void retriesDoubleUntilTheCapAndStartAgainAfterASuccess() {
    Backoff.Retries r =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 1.0).retries();
    long[] expected = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (long ms : expected) {
      assertEquals(Duration.ofMillis(ms), r.next());
    }
    r.reset();
    assertEquals(Duration.ofMillis(100), r.next());
  }

  @Test
  void refusesAMinimumThatIsNotBelowTheMaximum() {
    assertThrows(
        IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
