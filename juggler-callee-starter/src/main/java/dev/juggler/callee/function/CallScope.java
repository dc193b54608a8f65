package dev.juggler.callee.function;

import dev.juggler.broker.IncomingCall;

/**
 * Binds the call being served to the serving thread, for {@link dev.juggler.callee.CallContext}.
 *
 * <p>Not an API: only the invoker enters and exits scopes. Every {@link #enter} is paired with an
 * {@link #exit} in a {@code finally} block, so that a pooled container thread never keeps a call
 * (nor, through it, the application's class loader) after the invocation.
 */
public final class CallScope {
  private static final ThreadLocal<IncomingCall> CURRENT = new ThreadLocal<>();

  private CallScope() {}

  /** The call served by the current thread, or {@code null}. */
  public static IncomingCall current() {
    return CURRENT.get();
  }

  /**
   * Makes {@code call} the current thread's call.
   *
   * @return the previous call (usually {@code null}), to hand to {@link #exit}
   */
  public static IncomingCall enter(IncomingCall call) {
    IncomingCall previous = CURRENT.get();
    CURRENT.set(call);
    return previous;
  }

  /** Restores the call that was current before the matching {@link #enter}. */
  public static void exit(IncomingCall previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }
}
