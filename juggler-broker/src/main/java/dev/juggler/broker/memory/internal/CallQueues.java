package dev.juggler.broker.memory.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.CallRequest;
import dev.juggler.broker.IncomingCall;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The calls waiting for callees: one FIFO queue per URI, each call with its deadline on the store's
 * clock.
 *
 * <p>Thread-safe: one lock guards every queue, and takers wait on one condition that each new call
 * signals, so a waiting taker wakes only when a call came (or its wait ended). Expired calls are
 * never taken: takers discard them, and a queue whose newest call has expired is dropped whole, as
 * a Redis list with its expiry would vanish, so that URIs nobody serves do not hold memory.
 */
public final class CallQueues {

  private final LongSupplier nanoClock;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();

  /** Guarded by the lock. */
  private final Map<String, Lane> lanes = new HashMap<>();

  /** Each queue's newest deadline when it was raised, soonest first. Guarded by the lock. */
  private final PriorityQueue<Expiry> expiries =
      new PriorityQueue<>(Comparator.comparingLong(Expiry::deadline));

  /** Where the next take starts among its URIs, so that a busy URI cannot starve the others. */
  private final AtomicInteger rotation = new AtomicInteger();

  /** Guarded by the lock. */
  private long discarded;

  /** A queued call and where its result goes. */
  private record Queued(CallRequest request, String replyTo, long deadline) {}

  private record Expiry(long deadline, String uri) {}

  private static final class Lane {
    final ArrayDeque<Queued> calls = new ArrayDeque<>();
    long newestDeadline;
  }

  /**
   * @param nanoClock the clock of the deadlines, in nanoseconds, as {@link System#nanoTime()}
   */
  public CallQueues(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * Queues a call until {@code deadline}. When the URI's queue holds {@code capacity} calls (0: no
   * limit), its expired calls are dropped first; if it is still full the call is refused.
   *
   * @throws BrokerException with code 429 when the queue is full
   */
  public void offer(CallRequest call, String replyTo, long deadline, int capacity)
      throws BrokerException {
    lock.lock();
    try {
      long now = nanoClock.getAsLong();
      dropExpiredQueues(now);
      Lane lane = lanes.computeIfAbsent(call.uri(), uri -> new Lane());
      if (capacity > 0 && lane.calls.size() >= capacity) {
        int before = lane.calls.size();
        lane.calls.removeIf(q -> q.deadline - now <= 0);
        discarded += before - lane.calls.size();
        if (lane.calls.size() >= capacity) {
          throw BrokerException.capacityExceeded("call");
        }
      }
      if (lane.calls.isEmpty() || deadline - lane.newestDeadline > 0) {
        lane.newestDeadline = deadline;
        expiries.add(new Expiry(deadline, call.uri()));
      }
      lane.calls.addLast(new Queued(call, replyTo, deadline));
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The oldest live call of one of {@code uris}, waiting until {@code endNanos} for one. Returns
   * {@code null} when none came in time, or when the thread is interrupted (its flag set again).
   *
   * @param stats the taker's counters, where the expired calls it discards count
   * @throws BrokerException with code 503 when {@code closed} says the taker's broker closed
   */
  public IncomingCall take(
      List<String> uris, long endNanos, BooleanSupplier closed, BrokerStats stats)
      throws BrokerException {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("no URIs to take calls for");
    }
    int first = Math.floorMod(rotation.getAndIncrement(), uris.size());
    lock.lock();
    try {
      while (true) {
        if (closed.getAsBoolean()) {
          throw stats.failed(
              BrokerException.unavailable(new IllegalStateException("broker closed")));
        }
        long now = nanoClock.getAsLong();
        dropExpiredQueues(now);
        for (int i = 0; i < uris.size(); i++) {
          IncomingCall call = pollLive(uris.get((first + i) % uris.size()), now, stats);
          if (call != null) {
            return call;
          }
        }
        long left = endNanos - now;
        if (left <= 0) {
          return null;
        }
        arrived.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting taker, so that those of a closing broker see it. */
  public void wakeAll() {
    lock.lock();
    try {
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Calls waiting for {@code uri}, expired ones not yet discarded included. */
  public int size(String uri) {
    lock.lock();
    try {
      Lane lane = lanes.get(uri);
      return lane == null ? 0 : lane.calls.size();
    } finally {
      lock.unlock();
    }
  }

  /** Calls discarded because they expired while queued, since the store was made. */
  public long discarded() {
    lock.lock();
    try {
      return discarded;
    } finally {
      lock.unlock();
    }
  }

  private IncomingCall pollLive(String uri, long now, BrokerStats stats) {
    Lane lane = lanes.get(uri);
    if (lane == null) {
      return null;
    }
    Queued q;
    while ((q = lane.calls.pollFirst()) != null && q.deadline - now <= 0) {
      discarded++;
      stats.expiredCalls(1);
    }
    if (lane.calls.isEmpty()) {
      lanes.remove(uri);
    }
    if (q == null) {
      return null;
    }
    CallRequest r = q.request;
    return new IncomingCall(r.callUuid(), r.connUuid(), r.uri(), r.args(), q.replyTo, q.deadline);
  }

  private void dropExpiredQueues(long now) {
    Expiry e;
    while ((e = expiries.peek()) != null && e.deadline - now <= 0) {
      expiries.poll();
      Lane lane = lanes.get(e.uri);
      if (lane != null && lane.newestDeadline - now <= 0) {
        lanes.remove(e.uri);
        discarded += lane.calls.size();
      }
    }
  }
}
