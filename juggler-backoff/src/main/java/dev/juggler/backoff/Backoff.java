package dev.juggler.backoff;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying again after failures in a row: exponential from {@code min},
 * capped at {@code max}, with "equal jitter" (a random delay between half the exponential delay and
 * all of it) so that the many parties cut off by one outage (clients, server nodes, callee workers)
 * do not all come back at the same instant. Immutable, and thread-safe when its random source is;
 * {@link #retries()} gives the failure count that one loop keeps.
 */
public final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private final DoubleSupplier random;

  /** A backoff with {@link ThreadLocalRandom} jitter. */
  public Backoff(Duration min, Duration max) {
    this(min, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random values in [0, 1]: 0 waits half the exponential delay, 1 all of it (a source that
   *     always answers 1 turns the jitter off, for tests)
   * @throws IllegalArgumentException unless {@code 0 < min <= max}
   */
  public Backoff(Duration min, Duration max, DoubleSupplier random) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 < min <= max, got " + min + ", " + max);
    }
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /**
   * The delay before attempt {@code attempt} (0 for the first retry).
   *
   * @return between half and all of {@code min(max, min * 2^attempt)}
   */
  public Duration delay(int attempt) {
    long d = maxNanos;
    if (attempt >= 0 && attempt < 62 && minNanos <= (maxNanos >> attempt)) {
      d = Math.min(maxNanos, minNanos << attempt);
    }
    long half = d / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (d - half)));
  }

  /** A count of failures in a row, starting at none, that takes its delays from this backoff. */
  public Retries retries() {
    return new Retries(this);
  }

  /** The failures in a row of one loop. Not thread-safe: one per loop. */
  public static final class Retries {
    private final Backoff backoff;
    private int failures;

    private Retries(Backoff backoff) {
      this.backoff = backoff;
    }

    /** Counts one more failure and returns how long to wait before the next attempt. */
    public Duration next() {
      Duration d = backoff.delay(failures);
      if (failures < Integer.MAX_VALUE) {
        failures++;
      }
      return d;
    }

    /** The last attempt succeeded: the next failure waits the least again. */
    public void reset() {
      failures = 0;
    }
  }
}
