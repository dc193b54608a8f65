package dev.juggler.callee.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Starts a number of long-running tasks and stops them in two bounded steps: a stop flag and a wait
 * for the tasks to return by themselves (a worker finishes the call it is running), then {@link
 * Future#cancel} (interrupting) and a last wait. Thread-safe.
 *
 * <p>The executor is never shut down here: it belongs to the container.
 */
public final class WorkerGroup {
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Future<?>> futures = new CopyOnWriteArrayList<>();
  private int running; // guarded by this

  /** Submits one task to an executor, given its index (to name it). */
  @FunctionalInterface
  public interface Submitter {
    Future<?> submit(Runnable task, int index);
  }

  /** The stop flag the tasks must poll. */
  public BooleanSupplier stopRequested() {
    return stopping::get;
  }

  /**
   * Submits {@code count} tasks made by {@code tasks}. If a submission fails, the tasks already
   * submitted are stopped before the failure is rethrown.
   */
  public void start(int count, IntFunction<Runnable> tasks, Submitter submitter) {
    try {
      for (int i = 0; i < count; i++) {
        Runnable task = tasks.apply(i);
        futures.add(submitter.submit(() -> runTracked(task), i));
      }
    } catch (RuntimeException e) {
      stop(Duration.ZERO, Duration.ofSeconds(1));
      throw e;
    }
  }

  /**
   * Sets the stop flag and waits up to {@code drainWait} for the running tasks to return; then
   * cancels those left (interrupting them) and waits up to {@code interruptWait} more.
   *
   * @return whether every task returned within the two waits
   */
  public boolean stop(Duration drainWait, Duration interruptWait) {
    stopping.set(true);
    if (awaitIdle(drainWait)) {
      return true;
    }
    futures.forEach(f -> f.cancel(true));
    return awaitIdle(interruptWait);
  }

  /** Tasks running now. */
  public synchronized int running() {
    return running;
  }

  private void runTracked(Runnable task) {
    synchronized (this) {
      // A task that starts after stop() must not run: stop() may already have stopped waiting.
      if (stopping.get()) {
        return;
      }
      running++;
    }
    try {
      task.run();
    } finally {
      synchronized (this) {
        running--;
        notifyAll();
      }
    }
  }

  private synchronized boolean awaitIdle(Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    try {
      while (running > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return running == 0;
    }
  }
}
