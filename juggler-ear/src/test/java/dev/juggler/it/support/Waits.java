package dev.juggler.it.support;

import dev.juggler.client.ClientOptions;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
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

  /** The next item of {@code queue}, failing when none comes within {@code wait}. */
  public static <T> T next(BlockingQueue<T> queue, Duration wait) throws InterruptedException {
    T item = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (item == null) {
      throw new AssertionError("nothing within " + wait);
    }
    return item;
  }

  /**
   * The Java client's default options with {@link #SOON} as its connect and ACK timeouts (its own 5
   * s and 10 s defaults are bounds a loaded machine can miss).
   */
  public static ClientOptions clientOptions() {
    return ClientOptions.defaults().connectTimeout(SOON).ackTimeout(SOON);
  }
}
