package dev.juggler.lifecycle;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A JVM shutdown hook for an application inside Liberty: it runs as soon as the process gets
 * SIGTERM, while Liberty begins its own stop, whereas the application is told (its {@code
 * PreDestroy} methods) only after Liberty has quiesced: its HTTP connections dropped, and lines
 * logged through {@code java.util.logging} no longer written. Close it when the application stops,
 * so that an application stopped without a signal (an undeploy) leaves no hook behind.
 *
 * <p>The action runs on a plain thread of its own, since the container may be stopping its managed
 * ones at that moment; it must be bounded, the JVM waits for it. Thread-safe.
 */
public final class EarlyShutdown implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EarlyShutdown.class.getName());

  private final Thread hook;

  private EarlyShutdown(Thread hook) {
    this.hook = hook;
  }

  /** Registers {@code action} to run when the JVM begins to exit. */
  public static EarlyShutdown register(String name, Runnable action) {
    Thread hook = new Thread(action, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return new EarlyShutdown(hook);
  }

  /** Removes the hook; while the JVM exits it cannot be removed, and runs (or ran) anyway. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      LOG.log(Level.FINE, e, () -> hook.getName() + " already running: the JVM is exiting");
    }
  }
}
