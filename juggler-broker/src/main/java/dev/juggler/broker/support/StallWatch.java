package dev.juggler.broker.support;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes a broker's delivery off a thread that a listener holds. A listener may block for a while (a
 * result listener sending to a client that does not read, see {@link
 * dev.juggler.broker.ResultListener}); the other listeners must not wait for it. One daemon thread
 * looks, every {@link #PERIOD_MS}, at the {@link Calls} of the thread delivering now, and when its
 * listener call has run longer than the broker's delivery stall ({@link #DEFAULT_STALL} unless
 * configured) runs the replacement, which hands the delivery to another thread; the held one ends
 * once its call returns.
 *
 * <p>Thread-safe.
 */
public final class StallWatch {

  private static final Logger LOG = Logger.getLogger(StallWatch.class.getName());

  /**
   * How long one listener call may hold the delivering thread before another one takes over, unless
   * the broker's configuration says otherwise.
   */
  public static final Duration DEFAULT_STALL = Duration.ofMillis(200);

  /** How often the watch looks. */
  static final long PERIOD_MS = 50;

  /** The listener calls of one delivering thread, as the watch sees them. */
  public static final class Calls {
    // when the call in progress began, 0 between calls
    private volatile long sinceNanos;

    /** A listener call begins on the delivering thread. */
    public void begin() {
      long now = System.nanoTime();
      sinceNanos = now == 0 ? 1 : now;
    }

    /** The listener call returned (or threw). */
    public void end() {
      sinceNanos = 0;
    }

    /**
     * Whether the listener call in progress has run longer than {@code nanos} at {@code nowNanos}.
     */
    boolean longerThan(long nanos, long nowNanos) {
      long since = sinceNanos;
      return since != 0 && nowNanos - since > nanos;
    }
  }

  private final String name;
  private final ThreadFactory threads;
  private final long stallNanos;
  private final Supplier<Calls> current;
  private final Runnable replace;
  private volatile boolean stopped;
  private Thread thread;

  /**
   * @param name the watch thread's name
   * @param stall how long a listener call may hold the delivering thread
   * @param current the calls of the thread delivering now, {@code null} while none is
   * @param replace hands the delivery to another thread, so that {@code current} no longer returns
   *     the stalled one; runs on the watch thread, so it must not block
   */
  public StallWatch(
      String name,
      ThreadFactory threads,
      Duration stall,
      Supplier<Calls> current,
      Runnable replace) {
    requireStall(stall);
    this.name = name;
    this.threads = threads;
    this.stallNanos = stall.toNanos();
    this.current = current;
    this.replace = replace;
  }

  /** Checks a configured delivery stall: positive. */
  public static Duration requireStall(Duration stall) {
    if (stall.isNegative() || stall.isZero()) {
      throw new IllegalArgumentException("deliveryStall must be positive: " + stall);
    }
    return stall;
  }

  /** Starts the watch unless it runs already or was stopped. */
  public synchronized void start() {
    if (thread != null || stopped) {
      return;
    }
    thread = NamedThreads.newThread(threads, name, this::run);
    thread.setDaemon(true);
    thread.start();
  }

  /** Ends the watch; its thread leaves within {@link #PERIOD_MS}. */
  public void stop() {
    stopped = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
  }

  private void run() {
    while (!stopped) {
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        continue; // the loop tells whether the watch stopped
      }
      Calls calls = current.get();
      if (calls != null && calls.longerThan(stallNanos, System.nanoTime())) {
        try {
          replace.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, name + ": handing the delivery to another thread failed", e);
        }
      }
    }
  }
}
