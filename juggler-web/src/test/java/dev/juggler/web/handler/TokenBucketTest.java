package dev.juggler.web.handler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void aFullBucketGivesItsBurstThenOneTokenPerIntervalUpToTheBurst() {
    TokenBucket b = new TokenBucket(10, 3, 0);
    assertTrue(b.tryTake(0));
    assertTrue(b.tryTake(0));
    assertTrue(b.tryTake(0));
    assertFalse(b.tryTake(0), "the burst is spent");
    assertFalse(b.tryTake(SECOND / 20), "half a token after 50 ms");
    assertTrue(b.tryTake(SECOND / 10), "one token after 100 ms");
    assertFalse(b.tryTake(SECOND / 10));
    // a long pause refills to the burst, not beyond
    long later = 100 * SECOND;
    assertTrue(b.tryTake(later));
    assertTrue(b.tryTake(later));
    assertTrue(b.tryTake(later));
    assertFalse(b.tryTake(later));
  }
}
