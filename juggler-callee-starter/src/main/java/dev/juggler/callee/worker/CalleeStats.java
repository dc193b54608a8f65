package dev.juggler.callee.worker;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the callee workers since startup. Thread-safe; the workers update, anyone reads. */
public final class CalleeStats {
  private final AtomicLong executed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong expiredOnArrival = new AtomicLong();
  private final AtomicLong resultsDropped = new AtomicLong();
  private final AtomicLong brokerErrors = new AtomicLong();

  /** Calls whose function was invoked, whether it succeeded or not. */
  public long executed() {
    return executed.get();
  }

  /** Executed calls whose result is an error (bad arguments, the function threw). */
  public long failed() {
    return failed.get();
  }

  /** Calls taken with no time left, skipped without executing them. */
  public long expiredOnArrival() {
    return expiredOnArrival.get();
  }

  /**
   * Results not delivered: expired by the time they were stored, over the caller's result capacity,
   * or lost to a broker failure.
   */
  public long resultsDropped() {
    return resultsDropped.get();
  }

  /** Failed broker operations (take or result), each one followed by back-off for a take. */
  public long brokerErrors() {
    return brokerErrors.get();
  }

  void recordExecuted(boolean failedCall) {
    executed.incrementAndGet();
    if (failedCall) {
      failed.incrementAndGet();
    }
  }

  void recordExpiredOnArrival() {
    expiredOnArrival.incrementAndGet();
  }

  void recordResultDropped() {
    resultsDropped.incrementAndGet();
  }

  void recordBrokerError() {
    brokerErrors.incrementAndGet();
  }

  @Override
  public String toString() {
    return "executed="
        + executed()
        + " failed="
        + failed()
        + " expiredOnArrival="
        + expiredOnArrival()
        + " resultsDropped="
        + resultsDropped()
        + " brokerErrors="
        + brokerErrors();
  }
}
