package dev.juggler.callee.log;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets a repeated log message through at most once per interval. Thread-safe, lock-free.
 *
 * <p>A failing Redis or a buggy function can fail thousands of times a second across all workers;
 * one line per interval tells the operator as much without flooding the log.
 */
public final class LogLimiter {
  private final long intervalNanos;
  private final LongSupplier clock;
  private final AtomicLong last;

  /** A limiter on {@link System#nanoTime()}. */
  public LogLimiter(Duration interval) {
    this(interval, System::nanoTime);
  }

  /** A limiter on {@code clock} (nanoseconds), for tests. */
  public LogLimiter(Duration interval, LongSupplier clock) {
    this.intervalNanos = interval.toNanos();
    this.clock = clock;
    this.last = new AtomicLong(clock.getAsLong() - intervalNanos);
  }

  /** Whether a message may be logged now; if so, the next one must wait a full interval. */
  public boolean permit() {
    long now = clock.getAsLong();
    long previous = last.get();
    return now - previous >= intervalNanos && last.compareAndSet(previous, now);
  }
}
