package dev.juggler.broker.support;

import java.util.concurrent.ThreadFactory;

/** The brokers' background threads, made by their thread factory and named for debugging. */
public final class NamedThreads {

  private NamedThreads() {}

  /**
   * A new thread from {@code threads} running {@code task}, named {@code name} where the factory
   * allows (a container's may forbid renaming; the name only helps debugging). Not started.
   */
  public static Thread newThread(ThreadFactory threads, String name, Runnable task) {
    Thread thread = threads.newThread(task);
    try {
      thread.setName(name);
    } catch (SecurityException e) {
      // kept as the factory named it
    }
    return thread;
  }
}
