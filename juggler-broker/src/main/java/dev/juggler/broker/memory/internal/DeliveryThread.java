package dev.juggler.broker.memory.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread that runs a broker's deliveries (results and events) one at a time, in the order they
 * were submitted. The thread is made by the broker's thread factory on {@link #start()}; tasks
 * submitted before wait for it.
 *
 * <p>Thread-safe. A task that throws is logged and does not stop the thread. The queue is
 * unbounded: listeners must not block, so it drains as fast as they return.
 */
public final class DeliveryThread {

  private static final Logger LOG = Logger.getLogger(DeliveryThread.class.getName());
  private static final Runnable STOP = () -> {};

  private final String name;
  private final ThreadFactory threads;
  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private volatile boolean stopped;
  private Thread thread;

  public DeliveryThread(String name, ThreadFactory threads) {
    this.name = name;
    this.threads = threads;
  }

  /** Starts the thread unless it runs already or the dispatcher was stopped. */
  public synchronized void start() {
    if (thread != null || stopped) {
      return;
    }
    thread = threads.newThread(this::run);
    try {
      thread.setName(name);
    } catch (SecurityException e) {
      // A container's thread factory may forbid renaming; the name only helps debugging.
    }
    thread.start();
  }

  /** Queues a task; after {@link #stop} it is ignored. */
  public void submit(Runnable task) {
    if (!stopped) {
      tasks.add(task);
    }
  }

  /** Drops the tasks still queued, ends the thread and waits up to {@code waitMs} for it. */
  public void stop(long waitMs) {
    Thread t;
    synchronized (this) {
      stopped = true;
      t = thread;
    }
    tasks.clear();
    tasks.add(STOP);
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      for (Runnable task = tasks.take(); task != STOP; task = tasks.take()) {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, name + ": a listener failed", e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
