package dev.juggler.web.conn;

import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The threads that write the node's frames: each takes a connection with frames queued and writes
 * them with the container's blocking send, back to back, then takes the next one.
 *
 * <p>Why blocking sends: the container's asynchronous send hands every frame to its selector thread
 * and its completion to yet another thread, so that a frame costs two thread hand-offs on top of
 * its system call. A blocking send writes on the thread that asks, and a connection with several
 * frames queued gets them all from one thread in one turn ({@link #BATCH} at most, then it goes to
 * the back of the line, so that one busy connection does not keep a thread from the others).
 *
 * <p>What it costs: a send blocks while the client's socket buffer is full, which is what a client
 * that stops reading does. A thread whose send has been blocked for {@link ConnWriter#STALL_NANOS}
 * is counted as stuck by {@link #sweep} and another thread takes its place, so that the node keeps
 * {@code size} threads writing for the connections that read; a stuck thread comes back when its
 * send completes, or fails once the connection is closed (its write timeout, see {@link
 * ConnWriter#sweep}), and leaves if the pool has its {@code size} meanwhile. A client that stops
 * reading therefore holds at most one thread, for at most its write timeout and its close timeout.
 *
 * <p>Thread-safe.
 */
final class WriterPool implements ConnWriter.Scheduler {
  private static final Logger LOG = Logger.getLogger(WriterPool.class.getName());

  /** How many frames a connection gets written in one turn. */
  static final int BATCH = 64;

  private final ThreadFactory threads;
  private final int size;
  private final BlockingQueue<ConnWriter> ready = new LinkedBlockingQueue<>();
  private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
  // Workers not stuck; guarded by this.
  private int active;
  private volatile boolean stopped;

  private final class Worker implements Runnable {
    volatile ConnWriter current;
    // Set by the sweep, cleared by the worker once its send completes; guarded by the pool.
    boolean stuck;

    @Override
    public void run() {
      try {
        while (!stopped) {
          ConnWriter writer;
          try {
            writer = ready.poll(1, TimeUnit.SECONDS); // now and then: has the pool stopped?
          } catch (InterruptedException e) {
            continue; // the loop tells whether the pool stopped
          }
          if (writer == null) {
            continue;
          }
          current = writer;
          boolean more;
          try {
            more = writer.drain();
          } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "writing a connection's frames failed", e);
            more = false;
          }
          current = null;
          if (more) {
            ready.add(writer);
          }
          if (!rejoin()) {
            return;
          }
        }
      } finally {
        workers.remove(this);
      }
    }

    /** After a turn: a worker that was stuck takes its place again, or leaves if none is free. */
    private boolean rejoin() {
      synchronized (WriterPool.this) {
        if (!stuck) {
          return true;
        }
        stuck = false;
        if (active >= size) {
          return false;
        }
        active++;
        return true;
      }
    }
  }

  /**
   * @param threads makes the pool's threads (the container's managed thread factory)
   * @param size how many threads write while none is stuck
   */
  WriterPool(ThreadFactory threads, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size " + size);
    }
    this.threads = threads;
    this.size = size;
    synchronized (this) {
      for (int i = 0; i < size; i++) {
        start();
      }
    }
  }

  /** Starts a worker; holds the lock. */
  private void start() {
    Worker worker = new Worker();
    Thread thread = threads.newThread(worker);
    thread.setName("juggler-writer-" + thread.getId());
    thread.setDaemon(true);
    workers.add(worker);
    active++;
    thread.start();
  }

  @Override
  public void schedule(ConnWriter writer) {
    ready.add(writer);
  }

  /**
   * Counts the threads whose send has been blocked for {@link ConnWriter#STALL_NANOS} as stuck, and
   * starts as many others. Called about every 100 ms by the node.
   */
  void sweep(long nowNanos) {
    if (stopped) {
      return;
    }
    for (Worker worker : workers) {
      ConnWriter writer = worker.current;
      if (writer == null || !writer.writingLongerThan(ConnWriter.STALL_NANOS, nowNanos)) {
        continue;
      }
      synchronized (this) {
        if (worker.stuck || worker.current != writer) {
          continue;
        }
        worker.stuck = true;
        active--;
        if (active < size) {
          start();
        }
      }
    }
  }

  /** Threads now, stuck ones included. */
  int threads() {
    return workers.size();
  }

  /** Threads whose send is blocked (see {@link #sweep}). */
  synchronized int stuck() {
    int n = 0;
    for (Worker worker : workers) {
      if (worker.stuck) {
        n++;
      }
    }
    return n;
  }

  /**
   * Ends the threads once they are done with their turn (within a second when idle); what is still
   * queued is not written.
   */
  void stop() {
    stopped = true;
    ready.clear();
  }
}
