package dev.juggler.web.conn;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serializes the writes of one connection without blocking the threads that produce them.
 *
 * <p>Messages wait in a bounded queue and are sent one at a time with the container's asynchronous
 * send. A producer never waits: when the queue holds too many frames or too many bytes, or its
 * oldest message has waited longer than the queue timeout (the client does not read), the
 * connection is closed instead. The age is checked on every offer and by {@link #sweep}, so a
 * client that stopped reading is cut off even when nothing more is sent to it.
 *
 * <p>A writer whose send has been in flight for longer than {@link #STALL_NANOS} is stalled (its
 * client is not reading, or reads too slowly): its frames no longer count in the node's {@link
 * OutboundBacklog}, so that it does not hold back the node's publishers, until a send completes.
 * Thread-safe.
 */
final class ConnWriter {

  /** What the writer reports to its connection. */
  interface Listener {
    /** The queue overflowed or its head waited too long; {@code timedOut} tells which. */
    void onSlowReader(boolean timedOut);

    /** A send failed (write timeout, broken connection). */
    void onSendFailed(Throwable cause);
  }

  /** How long a send may be in flight before the writer counts as stalled. */
  static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private record Entry(String text, long enqueuedNanos) {}

  private final RemoteEndpoint.Async remote;
  private final Listener listener;
  private final OutboundBacklog backlog;
  private final int capacity;
  private final long maxBytes;
  private final long queueTimeoutNanos;
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean sending;
  private long sendStartNanos;
  // Whether the queued frames count in the node's backlog: false while stalled. Guarded by this.
  private boolean counted = true;
  private boolean stopped;
  // A ping to send once the frame being sent, if any, is out; guarded by this.
  private boolean pingWanted;
  // Set by finish(): run once the queue is sent, then cleared; guarded by this.
  private Runnable whenSent;

  ConnWriter(
      RemoteEndpoint.Async remote,
      Listener listener,
      OutboundBacklog backlog,
      int capacity,
      long maxBytes,
      long queueTimeoutNanos) {
    this.remote = remote;
    this.listener = listener;
    this.backlog = backlog;
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.queueTimeoutNanos = queueTimeoutNanos;
  }

  /**
   * Queues a frame; returns false when the writer is stopped or the reader is too slow. The size of
   * a frame is counted in characters of its text, which is its size in bytes for ASCII JSON.
   */
  boolean offer(String text) {
    long now = System.nanoTime();
    boolean timedOut;
    boolean overflow;
    boolean startDrain = false;
    int uncounted = 0;
    int dropped = 0;
    synchronized (this) {
      if (stopped || whenSent != null) {
        return false;
      }
      timedOut = headTimedOut(now);
      overflow =
          timedOut
              || queue.size() >= capacity
              || (maxBytes > 0 && queuedBytes > 0 && queuedBytes + text.length() > maxBytes);
      if (!overflow) {
        uncounted = stallLocked(now);
        queue.add(new Entry(text, now));
        queuedBytes += text.length();
        if (counted) {
          backlog.added(1);
        }
        if (!sending) {
          sending = true;
          startDrain = true;
        }
      } else {
        dropped = stopLocked();
      }
    }
    backlog.removed(uncounted);
    if (overflow) {
      backlog.removed(dropped);
      listener.onSlowReader(timedOut);
      return false;
    }
    if (startDrain) {
      drain(); // else a send is in flight, and its completion carries on
    }
    return true;
  }

  /**
   * Checks the bounds that time alone can break: closes the connection when its oldest frame has
   * waited too long, and stops counting a stalled writer's frames in the backlog. Called about once
   * a second by the node for every connection.
   */
  void sweep(long nowNanos) {
    boolean timedOut;
    int uncounted = 0;
    int dropped = 0;
    synchronized (this) {
      if (stopped) {
        return;
      }
      timedOut = headTimedOut(nowNanos);
      if (timedOut) {
        dropped = stopLocked();
      } else {
        uncounted = stallLocked(nowNanos);
      }
    }
    backlog.removed(uncounted + dropped);
    if (timedOut) {
      listener.onSlowReader(true);
    }
  }

  private boolean headTimedOut(long now) {
    Entry head = queue.peek();
    return head != null && queueTimeoutNanos > 0 && now - head.enqueuedNanos > queueTimeoutNanos;
  }

  /**
   * Stops counting the queued frames in the backlog when a send has been in flight too long;
   * returns how many to take off it. Holds the lock.
   */
  private int stallLocked(long now) {
    if (sending && counted && now - sendStartNanos > STALL_NANOS) {
      counted = false;
      return queue.size();
    }
    return 0;
  }

  /**
   * Sends a ping (dead-peer detection) after the frame being sent, if any, ahead of those queued;
   * does nothing once the writer is stopped. May send on the calling thread.
   */
  void ping() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      pingWanted = true;
      if (sending) {
        return; // the thread draining sends it next
      }
      sending = true;
      sendStartNanos = System.nanoTime();
    }
    drain();
  }

  /**
   * Refuses further frames, lets those queued go out, then runs {@code then}: at once when nothing
   * is queued or being sent, else on the thread that completes the last send (or fails one). Does
   * nothing once the writer is stopped or finishing.
   */
  void finish(Runnable then) {
    synchronized (this) {
      if (stopped || whenSent != null) {
        return;
      }
      if (sending) {
        whenSent = then;
        return;
      }
      stopped = true;
    }
    then.run();
  }

  /** Drops what is queued and refuses further frames. */
  void stop() {
    int dropped;
    synchronized (this) {
      dropped = stopLocked();
    }
    backlog.removed(dropped);
  }

  /** Stops the writer and empties its queue; returns how many frames it dropped. Holds the lock. */
  private int stopLocked() {
    stopped = true;
    whenSent = null;
    int dropped = counted ? queue.size() : 0;
    queue.clear();
    queuedBytes = 0;
    return dropped;
  }

  synchronized int queued() {
    return queue.size();
  }

  synchronized long queuedBytes() {
    return queuedBytes;
  }

  synchronized boolean stalled() {
    return !counted;
  }

  /**
   * Sends queued frames until the queue is empty or a send completes asynchronously, in which case
   * its completion handler carries on. Only one thread drains at a time.
   */
  private void drain() {
    while (true) {
      String text;
      Runnable then = null;
      int recounted = 0;
      boolean ping;
      synchronized (this) {
        ping = pingWanted && !stopped;
        pingWanted = false;
      }
      if (ping) {
        try {
          remote.sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
          fail(e);
          return;
        }
      }
      synchronized (this) {
        if (!counted) {
          counted = true; // a send completed: the client reads again
          recounted = queue.size();
        }
        Entry e = stopped ? null : queue.poll();
        if (e != null) {
          queuedBytes -= e.text.length();
          sendStartNanos = System.nanoTime();
        } else if (pingWanted && !stopped) {
          continue; // a ping asked for meanwhile
        }
        if (e == null) {
          sending = false;
          if (whenSent != null) {
            then = whenSent;
            whenSent = null;
            stopped = true;
          }
        }
        text = e == null ? null : e.text;
      }
      backlog.added(recounted);
      if (text == null) {
        if (then != null) {
          then.run();
        }
        return;
      }
      backlog.removed(1); // the frame in flight leaves the backlog
      // 0: in flight; 1: completed before sendText returned; 2: sendText returned first.
      AtomicInteger state = new AtomicInteger();
      try {
        remote.sendText(text, result -> onSent(result, state));
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      if (state.compareAndSet(0, 2)) {
        return;
      }
      if (state.get() != 1) {
        return; // failed inline
      }
    }
  }

  private void onSent(SendResult result, AtomicInteger state) {
    if (!result.isOK()) {
      state.set(3);
      fail(result.getException());
      return;
    }
    if (!state.compareAndSet(0, 1)) {
      drain(); // the sending thread has moved on: continue here
    }
  }

  private void fail(Throwable cause) {
    int dropped;
    Runnable then;
    synchronized (this) {
      if (stopped) {
        return;
      }
      sending = false;
      then = whenSent;
      dropped = stopLocked();
    }
    backlog.removed(dropped);
    listener.onSendFailed(cause);
    if (then != null) {
      then.run(); // finishing: the close it waited for still happens
    }
  }
}
