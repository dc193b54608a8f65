package dev.juggler.broker.memory.internal;

import dev.juggler.broker.support.NamedThreads;
import dev.juggler.broker.support.StallWatch;
import java.time.Duration;
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
 * <p>Thread-safe. A task that throws is logged and does not stop the thread. A task that holds the
 * thread for longer than the stall given (a result listener sending to a client that does not read)
 * no longer holds back the tasks behind it: a new thread takes them up in order, and the held one
 * ends once its task returns. The queue is unbounded: it drains as fast as listeners return.
 */
public final class DeliveryThread {

  private static final Logger LOG = Logger.getLogger(DeliveryThread.class.getName());
  private static final Runnable STOP = () -> {};

  private final String name;
  private final ThreadFactory threads;
  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final StallWatch watch;
  private volatile boolean stopped;
  // The thread taking up tasks now, null before start; guarded by this.
  private Runner runner;

  /**
   * @param stall how long a task may hold the thread before another one takes over
   */
  public DeliveryThread(String name, ThreadFactory threads, Duration stall) {
    this.name = name;
    this.threads = threads;
    this.watch =
        new StallWatch(name + "-watch", threads, stall, this::currentCalls, this::takeOver);
  }

  /** Starts the thread unless it runs already or the dispatcher was stopped. */
  public synchronized void start() {
    if (runner != null || stopped) {
      return;
    }
    runner = new Runner();
    watch.start();
  }

  /** Queues a task; after {@link #stop} it is ignored. */
  public void submit(Runnable task) {
    if (!stopped) {
      tasks.add(task);
    }
  }

  /** Drops the tasks still queued, ends the thread and waits up to {@code waitMs} for it. */
  public void stop(long waitMs) {
    Runner r;
    synchronized (this) {
      stopped = true;
      r = runner;
    }
    watch.stop();
    tasks.clear();
    tasks.add(STOP);
    if (r != null && r.thread != Thread.currentThread()) {
      try {
        r.thread.join(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized StallWatch.Calls currentCalls() {
    return runner == null ? null : runner.calls;
  }

  /** A task holds the thread: a new one takes up the tasks behind it. */
  private void takeOver() {
    synchronized (this) {
      if (stopped || runner == null) {
        return;
      }
      runner.retired = true;
      runner = new Runner();
    }
    LOG.fine(() -> name + ": a listener holds the delivery thread; another one takes over");
  }

  /** One thread taking up tasks, until the dispatcher stops or another thread takes over. */
  private final class Runner implements Runnable {
    final StallWatch.Calls calls = new StallWatch.Calls();
    final Thread thread;
    volatile boolean retired;

    /** Makes and starts the thread; holds the dispatcher's lock. */
    Runner() {
      thread = NamedThreads.newThread(threads, name, this);
      thread.start();
    }

    @Override
    public void run() {
      try {
        while (!retired) {
          Runnable task = tasks.take();
          if (task == STOP) {
            tasks.add(STOP); // for a thread that took over meanwhile, if any
            return;
          }
          calls.begin();
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": a listener failed", e);
          } finally {
            calls.end();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
