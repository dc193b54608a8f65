package dev.juggler.callee.worker;

import java.time.Duration;

/**
 * Capped exponential back-off: each failure in a row doubles the wait, from {@code min} up to
 * {@code max}. Not thread-safe: one per worker.
 */
public final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private long nextNanos;

  public Backoff(Duration min, Duration max) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 < min <= max");
    }
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.nextNanos = minNanos;
  }

  /** The workers' back-off when the broker fails: 100 ms, doubling, at most 5 s. */
  public static Backoff forBroker() {
    return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  /** How long to wait after this failure. */
  public Duration next() {
    long current = nextNanos;
    nextNanos = Math.min(maxNanos, current * 2);
    return Duration.ofNanos(current);
  }

  /** Starts again from {@code min}: the last attempt succeeded. */
  public void reset() {
    nextNanos = minNanos;
  }
}
