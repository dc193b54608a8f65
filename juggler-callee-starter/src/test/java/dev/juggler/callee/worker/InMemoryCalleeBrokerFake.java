package dev.juggler.callee.worker;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.broker.IncomingCall;
import dev.juggler.protocol.message.RawJson;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A scripted, in-memory {@link CalleeBroker} for unit tests of the worker LOOP LOGIC only (stop
 * flag, back-off, expiry, result accounting) and of the heartbeat. It models none of the real
 * broker's behaviour (queues per URI, TTLs, capacities); that is tested against Redis in
 * juggler-broker's ITs.
 *
 * <p>Each {@link #take} runs the next scripted step, or waits up to its {@code wait} for one.
 */
final class InMemoryCalleeBrokerFake implements CalleeBroker {

  /** How {@link #result} answers. */
  enum ResultMode {
    STORE,
    EXPIRED,
    CAPACITY_EXCEEDED,
    UNAVAILABLE
  }

  /** A result handed to the broker. */
  record Delivered(IncomingCall call, RawJson result, boolean interruptFlagWhileStoring) {}

  private final BlockingQueue<Supplier<IncomingCall>> steps = new LinkedBlockingQueue<>();
  final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
  final AtomicInteger takes = new AtomicInteger();

  /** Released once per take, for tests to wait on with a bound. */
  final Semaphore takeStarted = new Semaphore(0);

  volatile ResultMode resultMode = ResultMode.STORE;

  /** The next take returns {@code call}. */
  void willReturn(IncomingCall call) {
    steps.add(() -> call);
  }

  /** The next take returns no call at once. */
  void willReturnNothing() {
    steps.add(() -> null);
  }

  /** The next take throws {@code e} (a {@link BrokerException} or a runtime exception). */
  void willFail(Exception e) {
    steps.add(
        () -> {
          throw new Failure(e);
        });
  }

  /** The next take runs {@code step}. */
  void willRun(Supplier<IncomingCall> step) {
    steps.add(step);
  }

  @Override
  public IncomingCall take(List<String> uris, Duration wait) throws BrokerException {
    takes.incrementAndGet();
    takeStarted.release();
    Supplier<IncomingCall> step;
    try {
      step = steps.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (step == null) {
      return null;
    }
    try {
      return step.get();
    } catch (Failure f) {
      if (f.getCause() instanceof BrokerException b) {
        throw b;
      }
      throw (RuntimeException) f.getCause();
    }
  }

  @Override
  public boolean result(IncomingCall call, RawJson result) throws BrokerException {
    switch (resultMode) {
      case EXPIRED:
        return false;
      case CAPACITY_EXCEEDED:
        throw BrokerException.capacityExceeded("results");
      case UNAVAILABLE:
        throw BrokerException.unavailable(new IOException("connection refused"));
      default:
        delivered.add(new Delivered(call, result, Thread.currentThread().isInterrupted()));
        return true;
    }
  }

  /** How many results were stored together with the next take. */
  final AtomicInteger resultThenTakes = new AtomicInteger();

  @Override
  public IncomingCall resultThenTake(
      IncomingCall call, RawJson result, ResultReport report, List<String> uris, Duration wait)
      throws BrokerException {
    resultThenTakes.incrementAndGet();
    return CalleeBroker.super.resultThenTake(call, result, report, uris, wait);
  }

  /** Heartbeats are counted; {@link #heartbeatFailure}, when set, is thrown instead. */
  final AtomicInteger heartbeats = new AtomicInteger();

  final List<String> leaves = new CopyOnWriteArrayList<>();

  volatile Exception heartbeatFailure;

  @Override
  public void heartbeat(Collection<String> uris, String calleeId, Duration ttl)
      throws BrokerException {
    heartbeats.incrementAndGet();
    Exception failure = heartbeatFailure;
    if (failure instanceof BrokerException b) {
      throw b;
    }
    if (failure != null) {
      throw (RuntimeException) failure;
    }
  }

  @Override
  public void leave(Collection<String> uris, String calleeId) throws BrokerException {
    leaves.add(calleeId + " " + uris);
  }

  /** Carries a scripted exception through a {@link Supplier}. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(Exception cause) {
      super(cause);
    }
  }
}
