package dev.juggler.callee.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits; a seam so that tests of back-off record the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps on the current thread; interruption ends the sleep early. */
  Sleeper THREAD = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

  /**
   * Waits for {@code duration}.
   *
   * @throws InterruptedException when the thread is interrupted (the workers are stopping)
   */
  void sleep(Duration duration) throws InterruptedException;
}
