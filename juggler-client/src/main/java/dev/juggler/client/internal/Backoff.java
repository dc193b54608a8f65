package dev.juggler.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code min}, capped at {@code max}, with "equal jitter" (a
 * random delay between half the exponential delay and all of it) so that clients cut off together
 * do not come back together. Immutable and thread-safe when its random source is.
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
   * @param random values in [0, 1)
   */
  public Backoff(Duration min, Duration max, DoubleSupplier random) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /**
   * The delay before attempt {@code attempt} (0 for the first).
   *
   * @return between half and all of {@code min(max, min * 2^attempt)}
   */
  public Duration delay(int attempt) {
    long d = maxNanos;
    if (attempt < 62 && minNanos <= (maxNanos >> attempt)) {
      d = Math.min(maxNanos, minNanos << attempt);
    }
    long half = d / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (d - half)));
  }
}
