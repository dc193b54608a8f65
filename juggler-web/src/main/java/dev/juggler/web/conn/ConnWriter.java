package dev.juggler.web.conn;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serializes the writes of one connection without blocking the threads that produce them.
 *
 * <p>Messages wait in a bounded queue and are sent one at a time with the container's asynchronous
 * send. A producer never waits: when the queue is full, or its oldest message has waited longer
 * than the queue timeout (the client does not read), the connection is closed instead. Thread-safe.
 */
final class ConnWriter {

  /** What the writer reports to its connection. */
  interface Listener {
    /** The queue overflowed or its head waited too long; {@code timedOut} tells which. */
    void onSlowReader(boolean timedOut);

    /** A send failed (write timeout, broken connection). */
    void onSendFailed(Throwable cause);
  }

  private record Entry(String text, long enqueuedNanos) {}

  private final RemoteEndpoint.Async remote;
  private final Listener listener;
  private final OutboundBacklog backlog;
  private final int capacity;
  private final long queueTimeoutNanos;
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private boolean sending;
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
      long queueTimeoutNanos) {
    this.remote = remote;
    this.listener = listener;
    this.backlog = backlog;
    this.capacity = capacity;
    this.queueTimeoutNanos = queueTimeoutNanos;
  }

  /** Queues a frame; returns false when the writer is stopped or the reader is too slow. */
  boolean offer(String text) {
    long now = System.nanoTime();
    boolean timedOut;
    boolean overflow;
    int dropped = 0;
    synchronized (this) {
      if (stopped || whenSent != null) {
        return false;
      }
      Entry head = queue.peek();
      timedOut =
          head != null && queueTimeoutNanos > 0 && now - head.enqueuedNanos > queueTimeoutNanos;
      overflow = timedOut || queue.size() >= capacity;
      if (!overflow) {
        queue.add(new Entry(text, now));
        backlog.added(1);
        if (sending) {
          return true;
        }
        sending = true;
      } else {
        dropped = stopLocked();
      }
    }
    if (overflow) {
      backlog.removed(dropped);
      listener.onSlowReader(timedOut);
      return false;
    }
    drain();
    return true;
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
    int dropped = queue.size();
    queue.clear();
    return dropped;
  }

  synchronized int queued() {
    return queue.size();
  }

  /**
   * Sends queued frames until the queue is empty or a send completes asynchronously, in which case
   * its completion handler carries on. Only one thread drains at a time.
   */
  private void drain() {
    while (true) {
      String text;
      Runnable then = null;
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
        Entry e = stopped ? null : queue.poll();
        if (e == null && pingWanted && !stopped) {
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
      if (text == null) {
        if (then != null) {
          then.run();
        }
        return;
      }
      backlog.removed(1);
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
