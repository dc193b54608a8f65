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

  private final BlockingQueue<Supplier<List<IncomingCall>>> steps = new LinkedBlockingQueue<>();

  /** The {@code max} of each take, in order. */
  final List<Integer> takeMaxes = new CopyOnWriteArrayList<>();

  final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
  final AtomicInteger takes = new AtomicInteger();

  /** Released once per take, for tests to wait on with a bound. */
  final Semaphore takeStarted = new Semaphore(0);

  volatile ResultMode resultMode = ResultMode.STORE;

  /** The next take returns {@code call}. */
  void willReturn(IncomingCall call) {
    steps.add(() -> List.of(call));
  }

  /** The next take returns {@code calls}, which must be no more than it asks for. */
  void willReturnAll(List<IncomingCall> calls) {
    steps.add(() -> calls);
  }

  /** The next take returns no call at once. */
  void willReturnNothing() {
    steps.add(List::of);
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
    steps.add(
        () -> {
          IncomingCall call = step.get();
          return call == null ? List.of() : List.of(call);
        });
  }

  @Override
  public IncomingCall take(List<String> uris, Duration wait) throws BrokerException {
    List<IncomingCall> calls = take(uris, wait, 1);
    return calls.isEmpty() ? null : calls.get(0);
  }

  @Override
  public List<IncomingCall> take(List<String> uris, Duration wait, int max) throws BrokerException {
    takes.incrementAndGet();
    takeMaxes.add(max);
    takeStarted.release();
    Supplier<List<IncomingCall>> step;
    try {
      step = steps.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
    if (step == null) {
      return List.of();
    }
    try {
      List<IncomingCall> calls = step.get();
      if (calls.size() > max) {
        throw new AssertionError(
            "took " + calls.size() + " calls where at most " + max + " were asked for");
      }
      return calls;
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
  public List<IncomingCall> resultsThenTake(
      List<Finished> finished, List<String> uris, Duration wait, int max) throws BrokerException {
    resultThenTakes.addAndGet(finished.size());
    return CalleeBroker.super.resultsThenTake(finished, uris, wait, max);
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
