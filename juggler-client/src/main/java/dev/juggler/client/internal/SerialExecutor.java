package dev.juggler.client.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in the order they were submitted, on a shared executor: one client's
 * listeners keep their order while many clients share a few threads. After {@link #shutdown}, new
 * tasks are rejected and queued ones are dropped.
 */
public final class SerialExecutor implements Executor {
  private final Executor executor;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;
  private boolean shutdown;

  public SerialExecutor(Executor executor) {
    this.executor = executor;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      if (shutdown) {
        throw new RejectedExecutionException("shut down");
      }
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (tasks) {
        running = false;
        tasks.clear();
      }
      throw e;
    }
  }

  /** Rejects tasks from now on and drops those not started. */
  public void shutdown() {
    synchronized (tasks) {
      shutdown = true;
      tasks.clear();
    }
  }

  private void drain() {
    while (true) {
      Runnable task;
      synchronized (tasks) {
        task = tasks.poll();
        if (task == null) {
          running = false;
          return;
        }
      }
      boolean ran = false;
      try {
        task.run();
        ran = true;
      } finally {
        if (!ran) {
          // the task threw: let the next submission start a new drain
          synchronized (tasks) {
            running = false;
            tasks.clear();
          }
        }
      }
    }
  }
}
