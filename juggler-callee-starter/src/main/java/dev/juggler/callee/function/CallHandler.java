package dev.juggler.callee.function;

import dev.juggler.broker.IncomingCall;

/** Serves calls taken from the broker. Implementations are thread-safe. */
@FunctionalInterface
public interface CallHandler {

  /**
   * Serves {@code call} on the current thread.
   *
   * <p>Never throws for a failure of the function: failures are error results. A function
   * interrupted while running leaves the thread's interrupt flag set.
   */
  Outcome handle(IncomingCall call);
}
