package dev.juggler.callee.observe;

import dev.juggler.callee.worker.CalleeWorkers;
import jakarta.enterprise.inject.Instance;

/**
 * A reference to the {@link CalleeWorkers} singleton taken on first use, not at injection: the
 * metrics are registered when the module's CDI container starts, before the container has started
 * the EJB, which cannot be referenced until then. Thread-safe.
 */
final class Workers {
  private final Instance<CalleeWorkers> instance;
  private volatile CalleeWorkers workers;

  Workers(Instance<CalleeWorkers> instance) {
    this.instance = instance;
  }

  CalleeWorkers get() {
    CalleeWorkers w = workers;
    if (w == null) {
      synchronized (this) {
        if (workers == null) {
          workers = instance.get();
        }
        w = workers;
      }
    }
    return w;
  }
}
