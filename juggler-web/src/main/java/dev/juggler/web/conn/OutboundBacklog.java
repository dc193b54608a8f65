package dev.juggler.web.conn;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames queued on this node for all its connections, and the PUB acknowledgements held back
 * while there are too many: flow control for publishers.
 *
 * <p>A PUB fans out to every subscriber on the node; publishers that wait for their ACKs before
 * sending more (as the load tool does, up to a window) would otherwise outrun the node's writers
 * until every subscriber's queue overflowed and the node closed them all. While more than {@code
 * limit} frames wait, the ACK of a PUB (already published) waits too; it is written once the
 * backlog is down to half the limit. Publishers that do not wait for ACKs are not slowed; their
 * subscribers' queues protect the node as before.
 *
 * <p>Thread-safe. Released ACKs are written by the thread whose send brought the backlog down.
 */
final class OutboundBacklog {
  private final long limit;
  private final AtomicLong frames = new AtomicLong();
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean releasing = new AtomicBoolean();
  private final Runnable onHeld;

  /**
   * @param limit frames queued on the node above which PUB ACKs wait; 0 turns flow control off
   * @param onHeld told each time an ACK is held back (a metric)
   */
  OutboundBacklog(long limit, Runnable onHeld) {
    this.limit = limit;
    this.onHeld = onHeld;
  }

  /** Frames were queued. */
  void added(int n) {
    frames.addAndGet(n);
  }

  /** Frames left the queues (sent, or dropped with their connection). */
  void removed(int n) {
    if (n > 0 && frames.addAndGet(-n) <= limit / 2 && !held.isEmpty()) {
      release();
    }
  }

  /** Frames queued on the node now. */
  long frames() {
    return frames.get();
  }

  /** Runs {@code ack} now, or once the backlog is down to half the limit. */
  void whenBelowLimit(Runnable ack) {
    if (limit <= 0 || (frames.get() <= limit && held.isEmpty())) {
      ack.run();
      return;
    }
    held.add(ack);
    onHeld.run();
    // the backlog may have drained while this was being added
    if (frames.get() <= limit / 2) {
      release();
    }
  }

  private void release() {
    // one thread releases at a time; the ACKs it writes add frames, which is fine
    while (releasing.compareAndSet(false, true)) {
      try {
        Runnable ack;
        while (frames.get() <= limit / 2 && (ack = held.poll()) != null) {
          ack.run();
        }
      } finally {
        releasing.set(false);
      }
      if (held.isEmpty() || frames.get() > limit / 2) {
        return;
      }
    }
  }
}
