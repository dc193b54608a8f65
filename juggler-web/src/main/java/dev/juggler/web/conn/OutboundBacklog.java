package dev.juggler.web.conn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The frames queued on this node for its connections, and flow control for publishers.
 *
 * <p>A PUB fans out to every subscriber on the node, and a publisher can ask for far more events
 * than the node's writers deliver; every subscriber's queue would then overflow and the node would
 * close them all. So a PUB is throttled by what it is about to add: before it is published it
 * reserves its expected local fan-out (learned from the channel's last event, see {@link
 * FanoutEstimates}). While the frames queued plus those reserved plus its own would exceed {@code
 * limit}, the PUB is held, without holding a thread: it goes once the backlog is down to half the
 * limit and its fan-out fits (held PUBs go in the order they were held), or once {@code maxWait}
 * has passed. A fan-out larger than half the limit counts as half, so that such a PUB goes once the
 * backlog is down to half. The reservation ends when the event's first frame is queued on this node
 * (its other frames are queued on the same pass), when the PUB fails, or after {@code maxWait} (an
 * event that never came back). The connection holding the PUB takes up none of its later requests
 * meanwhile (see {@link Conn}), so the publisher is slowed down however it publishes, and its
 * answers keep the order of its requests.
 *
 * <p>A held PUB must not hold a thread: the sends that drain the backlog complete on the same
 * executor as the requests are handled on, and with every thread waiting for room the backlog would
 * drain only as the waits ran out.
 *
 * <p>Frames held by a writer that makes no progress (a client that stopped reading, see {@link
 * ConnWriter}) are not counted: a few stuck clients must not slow every publisher of the node; they
 * are cut off by their own queue's bounds instead.
 *
 * <p>Thread-safe. Counting is lock-free; the lock is taken only while some PUB is held.
 */
final class OutboundBacklog {
  private record Reservation(int frames, long sinceNanos) {}

  /** A PUB held for room; {@code go} publishes it once its frames are reserved. */
  private record Held(UUID pubUuid, int fanout, long adds, long deadlineNanos, Runnable go) {}

  private final long limit;
  private final long maxWaitNanos;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong reserved = new AtomicLong();
  private final Map<UUID, Reservation> reservations = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Held> held = new ArrayDeque<>(); // guarded by lock, oldest first
  private boolean timerSet; // guarded by lock

  /**
   * @param limit frames queued on the node above which PUBs are held; 0 turns flow control off
   * @param maxWaitMillis the longest a PUB is held; it is published then all the same
   * @param executor runs the held PUBs once they may go
   * @param timer lets held PUBs go at their deadline
   */
  OutboundBacklog(
      long limit, long maxWaitMillis, Executor executor, ScheduledExecutorService timer) {
    this.limit = limit;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.executor = executor;
    this.timer = timer;
  }

  /** Frames were queued. */
  void added(int n) {
    frames.addAndGet(n);
  }

  /** Frames left the queues (sent, dropped with their connection, or no longer counted). */
  void removed(int n) {
    if (n > 0) {
      frames.addAndGet(-n);
      releaseIfDrained();
    }
  }

  /** Frames counted on the node now. */
  long frames() {
    return frames.get();
  }

  /** Frames reserved by PUBs whose events have not come back yet. */
  long reserved() {
    return reserved.get();
  }

  /** PUBs held now. */
  int held() {
    return waiting.get();
  }

  /**
   * Reserves room for the PUB {@code pubUuid}, which will add {@code fanout} frames on this node,
   * when the backlog has it; otherwise holds the PUB, and runs {@code go} on the executor once its
   * frames are reserved (when there is room, or the longest wait has passed).
   *
   * @return {@code true} when the frames are reserved now (the caller publishes at once and {@code
   *     go} is never run), {@code false} when the PUB is held
   */
  boolean reserveOrHold(UUID pubUuid, int fanout, Runnable go) {
    if (tryReserve(pubUuid, fanout)) {
      return true;
    }
    long adds = adds(fanout);
    // Counted before the second look, so that a drain that comes in between sees it (see
    // releaseIfDrained).
    waiting.incrementAndGet();
    lock.lock();
    try {
      if (fits(adds)) {
        waiting.decrementAndGet();
        reserve(pubUuid, fanout);
        return true;
      }
      held.addLast(new Held(pubUuid, fanout, adds, System.nanoTime() + maxWaitNanos, go));
      setTimer();
    } finally {
      lock.unlock();
    }
    return false;
  }

  /**
   * Reserves room for the PUB {@code pubUuid}, which will add {@code fanout} frames on this node,
   * when the backlog has it now; takes no lock.
   *
   * @return whether the frames are reserved (else nothing is, and the caller may hold the PUB)
   */
  boolean tryReserve(UUID pubUuid, int fanout) {
    if (limit <= 0) {
      return true;
    }
    if (fits(adds(fanout))) {
      reserve(pubUuid, fanout);
      return true;
    }
    return false;
  }

  /** The PUB's event reached this node (its frames are being queued), or the PUB failed. */
  void release(UUID pubUuid) {
    Reservation r = reservations.remove(pubUuid);
    if (r != null) {
      reserved.addAndGet(-r.frames);
      releaseIfDrained();
    }
  }

  /** Ends the reservations older than the longest wait: their events never came back here. */
  void expireReservations(long nowNanos) {
    for (Map.Entry<UUID, Reservation> e : reservations.entrySet()) {
      if (nowNanos - e.getValue().sinceNanos > maxWaitNanos) {
        release(e.getKey());
      }
    }
  }

  /** The frames a PUB of this fan-out counts as adding: at most half the limit (see above). */
  private long adds(int fanout) {
    return Math.min(fanout, limit / 2);
  }

  private boolean fits(long adds) {
    return frames.get() + reserved.get() + adds <= limit;
  }

  private void reserve(UUID pubUuid, int fanout) {
    if (fanout > 0) {
      reservations.put(pubUuid, new Reservation(fanout, System.nanoTime()));
      reserved.addAndGet(fanout);
    }
  }

  /** Lets held PUBs go, oldest first, once the backlog is down to half and while they fit. */
  private void releaseIfDrained() {
    if (waiting.get() == 0 || frames.get() + reserved.get() > limit / 2) {
      return;
    }
    List<Held> go;
    lock.lock();
    try {
      go = letGo(h -> fits(h.adds));
    } finally {
      lock.unlock();
    }
    go.forEach(this::run);
  }

  /** Lets the PUBs held for the longest wait go, published all the same. */
  private void onTimer() {
    List<Held> go;
    lock.lock();
    try {
      timerSet = false;
      long now = System.nanoTime();
      go = letGo(h -> now - h.deadlineNanos >= 0);
      setTimer();
    } finally {
      lock.unlock();
    }
    go.forEach(this::run);
    releaseIfDrained(); // those left may fit now
  }

  /**
   * Takes the held PUBs off the queue, oldest first, while {@code mayGo} says so, and reserves
   * their frames; called holding the lock. Returns them, to be run once the lock is released.
   */
  private List<Held> letGo(Predicate<Held> mayGo) {
    List<Held> go = new ArrayList<>();
    Held h;
    while ((h = held.peekFirst()) != null && mayGo.test(h)) {
      held.removeFirst();
      waiting.decrementAndGet();
      reserve(h.pubUuid, h.fanout);
      go.add(h);
    }
    return go;
  }

  /** Schedules the timer for the oldest held PUB, unless it is set; called holding the lock. */
  private void setTimer() {
    Held first = held.peekFirst();
    if (first == null || timerSet) {
      return;
    }
    timerSet = true;
    long delay = Math.max(0, first.deadlineNanos - System.nanoTime());
    try {
      timer.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      timerSet = false; // shutting down: the PUBs go when the backlog drains, or never
    }
  }

  private void run(Held h) {
    try {
      executor.execute(h.go);
    } catch (RejectedExecutionException e) {
      h.go.run(); // the executor is gone (shutting down): on this thread, rather than never
    }
  }
}
