package dev.juggler.callee.worker;

import dev.juggler.backoff.Backoff;
import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.broker.IncomingCall;
import dev.juggler.callee.function.Outcome;
import dev.juggler.protocol.message.NackCode;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One worker: takes a call, executes it, stores its result, until told to stop.
 *
 * <p>Runs on one thread for its whole life. It stops when the stop flag is set (seen at the latest
 * one take-wait later) or its thread is interrupted. A broker failure is followed by capped
 * exponential back-off, never an immediate retry. A call once taken is always answered, even while
 * stopping, since nobody else will take it again.
 */
public final class WorkerLoop implements Runnable {
  private static final Logger LOG = Logger.getLogger(WorkerLoop.class.getName());

  private final WorkerSetup setup;
  private final BooleanSupplier stopRequested;
  private final Backoff.Retries backoff;

  public WorkerLoop(WorkerSetup setup, BooleanSupplier stopRequested) {
    this.setup = setup;
    this.stopRequested = stopRequested;
    this.backoff = setup.backoff().retries();
  }

  @Override
  public void run() {
    try {
      IncomingCall call = null;
      // A call taken is served even when a stop was asked for meanwhile.
      while (call != null
          || (!stopRequested.getAsBoolean() && !Thread.currentThread().isInterrupted())) {
        call = call == null ? take() : serveThenTake(call);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "Juggler callee worker stopped by an unexpected failure", e);
      throw e;
    }
  }

  /** The next call, or null when none came or the broker failed (after backing off). */
  private IncomingCall take() throws InterruptedException {
    return taken(() -> setup.broker().take(setup.uris(), setup.takeWait()));
  }

  /**
   * Serves {@code call}, then stores its result and takes the next call together (one round trip
   * where the broker can); when a stop was asked for, only stores the result and returns null.
   * Package-private for tests.
   */
  IncomingCall serveThenTake(IncomingCall call) throws InterruptedException {
    if (call.remainingNanos() <= 0) {
      setup.stats().recordExpiredOnArrival();
      return stopping() ? null : take();
    }
    Outcome outcome = execute(call);
    if (stopping()) {
      deliver(call, outcome);
      return null;
    }
    return taken(
        () ->
            setup
                .broker()
                .resultThenTake(
                    call, outcome.result(), report(call), setup.uris(), setup.takeWait()));
  }

  private boolean stopping() {
    return stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted();
  }

  /** A take of the broker. */
  @FunctionalInterface
  private interface Take {
    IncomingCall run() throws BrokerException;
  }

  /** The call {@code take} returns, or null when none came or it failed (after backing off). */
  private IncomingCall taken(Take take) throws InterruptedException {
    try {
      IncomingCall call = take.run();
      backoff.reset();
      setup.outage().success();
      return call;
    } catch (BrokerException | RuntimeException e) {
      if (stopRequested.getAsBoolean()) {
        return null; // the broker may be closing with the application: not an outage
      }
      // Runtime failures count too: a broker that cannot even be created (Redis down at startup)
      // must not turn the loop into a hot spin.
      setup.stats().recordBrokerError();
      setup.outage().failure(e);
      setup.sleeper().sleep(backoff.next());
      return null;
    }
  }

  private Outcome execute(IncomingCall call) {
    Outcome outcome = setup.handler().handle(call);
    setup.stats().recordExecuted(outcome.failed());
    return outcome;
  }

  private void deliver(IncomingCall call, Outcome outcome) {
    // A function interrupted by shutdown has set the flag again; its (error) result still beats a
    // timeout for the caller, and a store client may refuse to work while the flag is set.
    boolean interrupted = Thread.interrupted();
    CalleeBroker.ResultReport report = report(call);
    try {
      report.stored(setup.broker().result(call, outcome.result()));
    } catch (BrokerException | RuntimeException e) {
      report.failed(e);
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
