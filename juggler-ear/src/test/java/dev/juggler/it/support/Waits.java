package dev.juggler.it.support;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long a test waits for something the server does on its own, soon but at a time of its
 * choosing (a sweep, a callee taking a call): long, because a loaded machine can be slow and a
 * correct server must not fail for it; settable with {@code -Djuggler.it.wait-seconds}.
 */
public final class Waits {
  public static final Duration SOON =
      Duration.ofSeconds(Long.getLong("juggler.it.wait-seconds", 60));

  private Waits() {}

  /** The {@link System#nanoTime()} instant after which a wait started now has lasted too long. */
  public static long deadline() {
    return System.nanoTime() + SOON.toNanos();
  }

  /** What {@code future} completes with, waiting for it up to {@link #SOON}. */
  public static <T> T soon(Future<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(SOON.toMillis(), TimeUnit.MILLISECONDS);
  }
}
