package dev.juggler.web.conn;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Serializes the writes of one connection without blocking the threads that produce them.
 *
 * <p>Messages wait in a bounded queue; the node's {@link Scheduler} (its {@link WriterPool}) gives
 * the writer a thread that sends what is queued, one frame at a time with the container's blocking
 * send, in order. A producer never waits: when the queue holds too many frames or too many bytes,
 * or its oldest message has waited longer than the queue timeout (the client does not read), the
 * connection is closed instead. The age is checked on every offer and by {@link #sweep}, so a
 * client that stopped reading is cut off even when nothing more is sent to it; so is a send blocked
 * for longer than the write timeout.
 *
 * <p>A writer whose send has been blocked for longer than {@link #STALL_NANOS} is stalled (its
 * client is not reading, or reads too slowly): its frames no longer count in the node's {@link
 * OutboundBacklog}, so that it does not hold back the node's publishers, until a send completes.
 * Thread-safe.
 */
final class ConnWriter {

  /** What the writer reports to its connection. */
  interface Listener {
    /** The queue overflowed or its head waited too long; {@code timedOut} tells which. */
    void onSlowReader(boolean timedOut);

    /**
     * A send threw (a broken connection, one closed under it); the send is over. Also called when
     * the writer was stopped before.
     */
    void onSendFailed(Throwable cause);

    /** A send has been blocked for longer than the write timeout; it may still be blocked. */
    void onWriteTimeout();
  }

  /** Gives writers with frames to send a thread that calls their {@link #drain}. */
  interface Scheduler {
    /** {@code writer} has frames to send; its {@code drain} is called on another thread. */
    void schedule(ConnWriter writer);
  }

  /** How long a send may be blocked before the writer counts as stalled. */
  static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

  private record Entry(String text, long enqueuedNanos) {}

  private final RemoteEndpoint.Basic remote;
  private final Listener listener;
  private final OutboundBacklog backlog;
  private final Scheduler scheduler;
  private final int capacity;
  private final long maxBytes;
  private final long queueTimeoutNanos;
  private final long writeTimeoutNanos;
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private long queuedBytes;
  // Whether the writer is scheduled or draining; guarded by this.
  private boolean scheduled;
  // When the send in progress began, 0 while none is; guarded by this.
  private long writingSinceNanos;
  // Whether the queued frames count in the node's backlog: false while stalled. Guarded by this.
  private boolean counted = true;
  private boolean stopped;
  // A ping to send once the frame being sent, if any, is out; guarded by this.
  private boolean pingWanted;
  // Set by finish(): run once the queue is sent, then cleared; guarded by this.
  private Runnable whenSent;

  /**
   * @param queueTimeoutNanos how long the oldest queued frame may wait, 0 for no bound
   * @param writeTimeoutNanos how long one send may be blocked, 0 for no bound
   */
  ConnWriter(
      RemoteEndpoint.Basic remote,
      Listener listener,
      OutboundBacklog backlog,
      Scheduler scheduler,
      int capacity,
      long maxBytes,
      long queueTimeoutNanos,
      long writeTimeoutNanos) {
    this.remote = remote;
    this.listener = listener;
    this.backlog = backlog;
    this.scheduler = scheduler;
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.queueTimeoutNanos = queueTimeoutNanos;
    this.writeTimeoutNanos = writeTimeoutNanos;
  }

  /**
   * Queues a frame; returns false when the writer is stopped or the reader is too slow. The size of
   * a frame is counted in characters of its text, which is its size in bytes for ASCII JSON.
   */
  boolean offer(String text) {
    return offer(text, false);
  }

  /**
   * Like {@link #offer(String)}; with {@code sendHere}, when no thread is sending for the writer,
   * the calling thread sends what is queued itself, up to a turn's worth, instead of handing it to
   * the scheduler: one thread hand-off less per frame. Only for threads that may be held by a
   * client that does not read, until the write timeout closes it: the thread that reads the
   * connection's requests (it then blocks its own reading), and the broker's thread delivering a
   * result (the broker goes on on another one, see {@link dev.juggler.broker.ResultListener}).
   */
  boolean offer(String text, boolean sendHere) {
    long now = System.nanoTime();
    boolean timedOut;
    boolean overflow;
    boolean schedule = false;
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
        if (!scheduled) {
          scheduled = true;
          schedule = true;
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
    if (schedule && (!sendHere || drain())) {
      scheduler.schedule(this); // else the thread draining it sends this one too
    }
    return true;
  }

  /**
   * Checks the bounds that time alone can break: closes the connection when its oldest frame has
   * waited too long or a send has been blocked longer than the write timeout, and stops counting a
   * stalled writer's frames in the backlog. Called about once a second by the node for every
   * connection.
   */
  void sweep(long nowNanos) {
    boolean timedOut;
    boolean writeTimedOut;
    int uncounted = 0;
    int dropped = 0;
    synchronized (this) {
      if (stopped) {
        return;
      }
      writeTimedOut = writeTimeoutNanos > 0 && blockedLongerThan(writeTimeoutNanos, nowNanos);
      timedOut = !writeTimedOut && headTimedOut(nowNanos);
      if (timedOut || writeTimedOut) {
        dropped = stopLocked();
      } else {
        uncounted = stallLocked(nowNanos);
      }
    }
    backlog.removed(uncounted + dropped);
    if (writeTimedOut) {
      listener.onWriteTimeout();
    } else if (timedOut) {
      listener.onSlowReader(true);
    }
  }

  /** Whether a send has been blocked for longer than {@code nanos}. */
  synchronized boolean writingLongerThan(long nanos, long nowNanos) {
    return blockedLongerThan(nanos, nowNanos);
  }

  /** {@link #writingLongerThan}, holding the lock. */
  private boolean blockedLongerThan(long nanos, long nowNanos) {
    return writingSinceNanos != 0 && nowNanos - writingSinceNanos > nanos;
  }

  private boolean headTimedOut(long now) {
    Entry head = queue.peek();
    return head != null && queueTimeoutNanos > 0 && now - head.enqueuedNanos > queueTimeoutNanos;
  }

  /**
   * Stops counting the queued frames in the backlog when a send has been blocked too long; returns
   * how many to take off it. Holds the lock.
   */
  private int stallLocked(long now) {
    if (counted && blockedLongerThan(STALL_NANOS, now)) {
      counted = false;
      return queue.size();
    }
    return 0;
  }

  /**
   * Sends a ping (dead-peer detection) after the frame being sent, if any, ahead of those queued;
   * does nothing once the writer is stopped. Never blocks: the writer's thread sends it.
   */
  void ping() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      pingWanted = true;
      if (scheduled) {
        return; // the thread draining sends it next
      }
      scheduled = true;
    }
    scheduler.schedule(this);
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
      if (scheduled) {
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
   * Sends what is queued, on the scheduler's thread (or a producer's, see {@link #offer(String,
   * boolean)}): frames in order, a ping asked for ahead of the next frame, at most {@link
   * WriterPool#BATCH} sends in this turn. Runs what {@link #finish} waited for once the queue is
   * empty.
   *
   * @return whether frames are left for another turn (the writer stays scheduled)
   */
  boolean drain() {
    int recount;
    for (int sends = 0; ; sends++) {
      Entry e = null;
      boolean ping;
      Runnable then = null;
      int recounted = 0;
      synchronized (this) {
        writingSinceNanos = 0;
        if (!counted) {
          counted = true; // a send completed: the client reads again
          recounted = queue.size();
        }
        if (stopped) {
          scheduled = false;
          return false;
        }
        if (sends >= WriterPool.BATCH && (pingWanted || !queue.isEmpty())) {
          recount = recounted; // another turn, after other connections' turns
          break;
        }
        ping = pingWanted;
        pingWanted = false;
        if (!ping) {
          e = queue.poll();
        }
        if (ping || e != null) {
          writingSinceNanos = System.nanoTime();
          if (e != null) {
            queuedBytes -= e.text.length();
          }
        } else {
          scheduled = false;
          then = whenSent;
          if (then != null) {
            whenSent = null;
            stopped = true;
          }
        }
      }
      backlog.added(recounted);
      if (!ping && e == null) {
        if (then != null) {
          then.run();
        }
        return false;
      }
      if (e != null) {
        backlog.removed(1); // the frame being sent leaves the backlog
      }
      try {
        if (ping) {
          remote.sendPing(NO_DATA);
        } else {
          remote.sendText(e.text);
        }
      } catch (IOException | RuntimeException ex) {
        fail(ex);
        return false;
      }
    }
    backlog.added(recount);
    return true;
  }

  /**
   * A send threw: the writer stops, and the listener hears of it even when the writer was stopped
   * already (the connection closed under the send), so that the container learns the send is over.
   */
  private void fail(Throwable cause) {
    int dropped;
    Runnable then;
    synchronized (this) {
      writingSinceNanos = 0;
      scheduled = false;
      then = whenSent;
      dropped = stopped ? 0 : stopLocked();
      stopped = true;
    }
    backlog.removed(dropped);
    listener.onSendFailed(cause);
    if (then != null) {
      then.run(); // finishing: the close it waited for still happens
    }
  }
}
