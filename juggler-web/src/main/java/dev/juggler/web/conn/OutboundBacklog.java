package dev.juggler.web.conn;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames queued on this node for its connections, and flow control for publishers.
 *
 * <p>A PUB fans out to every subscriber on the node, and a publisher can ask for far more events
 * than the node's writers deliver; every subscriber's queue would then overflow and the node would
 * close them all. So a PUB is throttled by what it is about to add: before it is published it
 * reserves its expected local fan-out (learned from the channel's last event, see {@link
 * FanoutEstimates}), and it waits while the frames queued plus those reserved plus its own would
 * exceed {@code limit}, until the backlog is down to half the limit or {@code maxWait} has passed.
 * A fan-out larger than half the limit counts as half, so that such a PUB goes once the backlog is
 * down to half. The reservation ends when the event's first frame is queued on this node (its other
 * frames are queued on the same pass), when the PUB fails, or after {@code maxWait} (an event that
 * never came back). The connection's next frame is read only after the wait (the container reads a
 * connection's frames one at a time), so the publisher is slowed down however it publishes, and its
 * answers keep the order of its requests.
 *
 * <p>Frames held by a writer that makes no progress (a client that stopped reading, see {@link
 * ConnWriter}) are not counted: a few stuck clients must not slow every publisher of the node; they
 * are cut off by their own queue's bounds instead.
 *
 * <p>Thread-safe. Counting is lock-free; the lock is taken only while some PUB waits.
 */
final class OutboundBacklog {
  private record Reservation(int frames, long sinceNanos) {}

  private final long limit;
  private final long maxWaitNanos;
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong reserved = new AtomicLong();
  private final Map<UUID, Reservation> reservations = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();

  /**
   * @param limit frames queued on the node above which PUBs wait; 0 turns flow control off
   * @param maxWaitMillis the longest a PUB waits; it is published then all the same
   */
  OutboundBacklog(long limit, long maxWaitMillis) {
    this.limit = limit;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
  }

  /** Frames were queued. */
  void added(int n) {
    frames.addAndGet(n);
  }

  /** Frames left the queues (sent, dropped with their connection, or no longer counted). */
  void removed(int n) {
    if (n > 0) {
      frames.addAndGet(-n);
      signalIfDrained();
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

  /**
   * Waits until the backlog has room for a PUB that will add {@code fanout} frames on this node, or
   * at most the longest wait, then reserves them for the PUB {@code pubUuid}. Returns at once while
   * there is room.
   *
   * @return whether it waited
   * @throws InterruptedException when interrupted while waiting (nothing is reserved then)
   */
  boolean awaitRoom(UUID pubUuid, int fanout) throws InterruptedException {
    if (limit <= 0) {
      return false;
    }
    long adds = Math.min(fanout, limit / 2);
    boolean waited = false;
    if (frames.get() + reserved.get() + adds > limit) {
      waited = true;
      long deadline = System.nanoTime() + maxWaitNanos;
      waiting.incrementAndGet();
      lock.lock();
      try {
        long left;
        while (frames.get() + reserved.get() + adds > limit
            && (left = deadline - System.nanoTime()) > 0) {
          drained.awaitNanos(left);
        }
      } finally {
        lock.unlock();
        waiting.decrementAndGet();
      }
    }
    if (fanout > 0) {
      reservations.put(pubUuid, new Reservation(fanout, System.nanoTime()));
      reserved.addAndGet(fanout);
    }
    return waited;
  }

  /** The PUB's event reached this node (its frames are being queued), or the PUB failed. */
  void release(UUID pubUuid) {
    Reservation r = reservations.remove(pubUuid);
    if (r != null) {
      reserved.addAndGet(-r.frames);
      signalIfDrained();
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

  private void signalIfDrained() {
    if (waiting.get() > 0 && frames.get() + reserved.get() <= limit / 2) {
      lock.lock();
      try {
        drained.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
