package dev.juggler.callee;

import dev.juggler.broker.IncomingCall;
import dev.juggler.callee.function.CallScope;
import java.util.Optional;

/**
 * The call being served by the current thread.
 *
 * <p>Thread-bound, like a transaction: a function reads it on the thread that invoked it (an EJB
 * business method called locally runs on that thread too). It is empty on other threads, in
 * {@code @Asynchronous} methods and outside a call.
 */
public final class CallContext {

  private CallContext() {}

  /** The call the current thread is serving, or empty when it serves none. */
  public static Optional<IncomingCall> current() {
    return Optional.ofNullable(CallScope.current());
  }

  /**
   * Nanoseconds left before the current call's result would be dropped; {@link Long#MAX_VALUE} when
   * the thread serves no call (no deadline applies).
   */
  public static long remainingNanos() {
    IncomingCall call = CallScope.current();
    return call == null ? Long.MAX_VALUE : call.remainingNanos();
  }
}
