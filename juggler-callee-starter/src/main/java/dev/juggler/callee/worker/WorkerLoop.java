package dev.juggler.callee.worker;

import dev.juggler.backoff.Backoff;
import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.broker.IncomingCall;
import dev.juggler.callee.function.Outcome;
import dev.juggler.protocol.message.NackCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One worker: takes calls, executes them, stores their results, until told to stop.
 *
 * <p>Runs on one thread for its whole life. It stops when the stop flag is set (seen at the latest
 * one take-wait later) or its thread is interrupted. A broker failure is followed by capped
 * exponential back-off, never an immediate retry. A call once taken is always answered, even while
 * stopping, since nobody else will take it again.
 *
 * <p>While its calls run short (each under {@link #SHORT_NANOS}), a worker takes up to {@link
 * WorkerSetup#callsPerTake} calls at once (those waiting at the head of one URI's queue) and stores
 * their results together with its next take: one round trip for them all where there was one per
 * call. A call then waits for those taken before it, and a result for those after it, at most
 * {@link #SHORT_NANOS} (earlier results are stored before the next call starts) plus one call;
 * after a call that ran longer the worker takes one at a time again.
 */
public final class WorkerLoop implements Runnable {
  private static final Logger LOG = Logger.getLogger(WorkerLoop.class.getName());

  /** A call that ran under this long (1 ms) lets the next take bring several. */
  static final long SHORT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final WorkerSetup setup;
  private final BooleanSupplier stopRequested;
  private final Backoff.Retries backoff;

  /** Whether the calls of the last take all ran short. */
  private boolean ranShort;

  /** How long calls run is measured by this clock; tests set their own. */
  private LongSupplier clock = System::nanoTime;

  public WorkerLoop(WorkerSetup setup, BooleanSupplier stopRequested) {
    this.setup = setup;
    this.stopRequested = stopRequested;
    this.backoff = setup.backoff().retries();
  }

  /** Measures how long calls run by {@code clock} instead of {@link System#nanoTime}; for tests. */
  WorkerLoop measuringBy(LongSupplier clock) {
    this.clock = clock;
    return this;
  }

  @Override
  public void run() {
    try {
      List<IncomingCall> calls = List.of();
      // Calls taken are served even when a stop was asked for meanwhile.
      while (!calls.isEmpty() || !stopping()) {
        calls = calls.isEmpty() ? take() : serveThenTake(calls);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "Juggler callee worker stopped by an unexpected failure", e);
      throw e;
    }
  }

  /** The next calls; none when none came or the broker failed (after backing off). */
  private List<IncomingCall> take() throws InterruptedException {
    int max = takeMax();
    return taken(() -> setup.broker().take(setup.uris(), setup.takeWait(), max));
  }

  private int takeMax() {
    return ranShort ? setup.callsPerTake() : 1;
  }

  /**
   * Serves {@code calls} in order, then stores their results and takes the next calls together (one
   * round trip where the broker can); when a stop was asked for, only stores the results and
   * returns none. Package-private for tests.
   */
  List<IncomingCall> serveThenTake(List<IncomingCall> calls) throws InterruptedException {
    List<CalleeBroker.Finished> finished = new ArrayList<>(calls.size());
    long firstFinished = 0;
    boolean allShort = true;
    for (IncomingCall call : calls) {
      if (call.remainingNanos() <= 0) {
        setup.stats().recordExpiredOnArrival();
        continue;
      }
      if (!finished.isEmpty() && clock.getAsLong() - firstFinished >= SHORT_NANOS) {
        deliver(finished); // they waited long enough for the calls after them
        finished.clear();
      }
      long start = clock.getAsLong();
      Outcome outcome = execute(call);
      long end = clock.getAsLong();
      allShort &= end - start < SHORT_NANOS;
      if (finished.isEmpty()) {
        firstFinished = end;
      }
      finished.add(new CalleeBroker.Finished(call, outcome.result(), report(call)));
    }
    ranShort = allShort;
    if (stopping()) {
      deliver(finished);
      return List.of();
    }
    if (finished.isEmpty()) {
      return take();
    }
    int max = takeMax();
    return taken(
        () -> setup.broker().resultsThenTake(finished, setup.uris(), setup.takeWait(), max));
  }

  private boolean stopping() {
    return stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted();
  }

  /** A take of the broker. */
  @FunctionalInterface
  private interface Take {
    List<IncomingCall> run() throws BrokerException;
  }

  /** The calls {@code take} returns; none when it failed (after backing off). */
  private List<IncomingCall> taken(Take take) throws InterruptedException {
    try {
      List<IncomingCall> calls = take.run();
      backoff.reset();
      setup.outage().success();
      return calls;
    } catch (BrokerException | RuntimeException e) {
      if (stopRequested.getAsBoolean()) {
        return List.of(); // the broker may be closing with the application: not an outage
      }
      // Runtime failures count too: a broker that cannot even be created (Redis down at startup)
      // must not turn the loop into a hot spin.
      setup.stats().recordBrokerError();
      setup.outage().failure(e);
      setup.sleeper().sleep(backoff.next());
      return List.of();
    }
  }

  private Outcome execute(IncomingCall call) {
    Outcome outcome = setup.handler().handle(call);
    setup.stats().recordExecuted(outcome.failed());
    return outcome;
  }

  /** Stores the results of {@code finished} without a take, telling each one's report. */
  private void deliver(List<CalleeBroker.Finished> finished) {
    // A function interrupted by shutdown has set the flag again; its (error) result still beats a
    // timeout for the caller, and a store client may refuse to work while the flag is set.
    boolean interrupted = Thread.interrupted();
    try {
      setup.broker().results(finished);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Counts and logs how storing the result of {@code call} went. */
  private CalleeBroker.ResultReport report(IncomingCall call) {
    return new CalleeBroker.ResultReport() {
      @Override
      public void stored(boolean stored) {
        if (!stored) {
          setup.stats().recordResultDropped();
          LOG.fine(() -> "Result of " + call.uri() + " dropped: the call expired");
        }
      }

      @Override
      public void failed(Exception failure) {
        setup.stats().recordResultDropped();
        if (failure instanceof BrokerException e && e.code() == NackCode.TOO_MANY) {
          LOG.fine(() -> "Result of " + call.uri() + " dropped: " + e.getMessage());
        } else {
          setup.stats().recordBrokerError();
          setup.outage().failure(failure);
        }
      }
    };
  }
}
