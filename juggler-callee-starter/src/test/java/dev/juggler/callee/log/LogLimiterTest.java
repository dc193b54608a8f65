package dev.juggler.callee.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogLimiterTest {

  @Test
  void oncePerInterval() {
    AtomicLong now = new AtomicLong(1_000);
    LogLimiter limiter = new LogLimiter(Duration.ofNanos(100), now::get);
    assertTrue(limiter.permit());
    assertFalse(limiter.permit());
    now.addAndGet(99);
    assertFalse(limiter.permit());
    now.addAndGet(1);
    assertTrue(limiter.permit());
    assertFalse(limiter.permit());
  }
}
