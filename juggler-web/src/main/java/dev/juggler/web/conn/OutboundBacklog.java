package dev.juggler.web.conn;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames queued on this node for all its connections, and flow control for publishers.
 *
 * <p>A PUB fans out to every subscriber on the node, and a publisher can ask for far more events
 * than the node's writers deliver; every subscriber's queue would then overflow and the node would
 * close them all. While more than {@code limit} frames wait, a PUB waits before it is published,
 * until the backlog is down to half the limit or {@code maxWait} has passed. The connection's next
 * frame is read only after that (the container reads a connection's frames one at a time), so the
 * publisher is slowed down however it publishes, and its answers keep the order of its requests.
 *
 * <p>Thread-safe. Counting is lock-free; the lock is taken only while some PUB waits.
 */
final class OutboundBacklog {
  private final long limit;
  private final long maxWaitNanos;
  private final AtomicLong frames = new AtomicLong();
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

  /** Frames left the queues (sent, or dropped with their connection). */
  void removed(int n) {
    if (n > 0 && frames.addAndGet(-n) <= limit / 2 && waiting.get() > 0) {
      lock.lock();
      try {
        drained.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Frames queued on the node now. */
  long frames() {
    return frames.get();
  }

  /**
   * Returns at once while the backlog is within the limit; otherwise waits until it is down to half
   * the limit, or at most the longest wait.
   *
   * @return whether it waited
   * @throws InterruptedException when interrupted while waiting
   */
  boolean awaitRoom() throws InterruptedException {
    if (limit <= 0 || frames.get() <= limit) {
      return false;
    }
    long deadline = System.nanoTime() + maxWaitNanos;
    waiting.incrementAndGet();
    lock.lock();
    try {
      long left;
      while (frames.get() > limit / 2 && (left = deadline - System.nanoTime()) > 0) {
        drained.awaitNanos(left);
      }
    } finally {
      lock.unlock();
      waiting.decrementAndGet();
    }
    return true;
  }
}
