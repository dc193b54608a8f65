package dev.juggler.broker.redis.internal;

import dev.juggler.backoff.Backoff;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.support.NamedThreads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * A background loop on one dedicated Redis connection, reconnecting with capped exponential
 * backoff. Started at most once, on first use; {@link #stop()} ends it and closes its connection.
 */
abstract class ReconnectingLoop implements Runnable {

  private static final Logger LOG = Logger.getLogger(ReconnectingLoop.class.getName());

  protected final Connections connections;
  protected final BrokerStats stats;
  private final String name;
  private final String clientName;
  private final String key;

  /**
   * Capped so that a node comes back within about 2 s of its Redis, with jitter so that the nodes
   * of a cluster do not all reconnect at the same instant after an outage.
   */
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

  private final Backoff.Retries backoff = BACKOFF.retries();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Semaphore wake = new Semaphore(0);
  private volatile Jedis current;
  private final Runnable wakeUp = this::wake;
  private Thread thread;
  private boolean failing;
  private long failingSinceNanos;

  /**
   * @param name the thread's name
   * @param clientName the connection's client name in Redis
   * @param key the key the loop works on, which decides its server on a cluster; {@code null} for
   *     any server
   * @param stats where each failed session counts as a broker error
   */
  ReconnectingLoop(
      Connections connections, String name, String clientName, String key, BrokerStats stats) {
    this.connections = connections;
    connections.onAnswering(wakeUp);
    this.stats = stats;
    this.name = name;
    this.clientName = clientName;
    this.key = key;
  }

  /** Runs the loop's work on a fresh connection until it fails or the loop stops. */
  protected abstract void session(Jedis jedis);

  /** Called on the loop thread when a session ended, before the backoff delay. */
  protected void sessionEnded() {}

  /** Starts the thread unless it runs already (or the loop was stopped). */
  final synchronized void ensureStarted(ThreadFactory threads) {
    if (thread == null && !isStopped()) {
      thread = NamedThreads.newThread(threads, name, this);
      thread.start();
    }
  }

  final boolean isStopped() {
    return stopped.getCount() == 0;
  }

  /** Called by a session once its connection works, so that the next outage starts small. */
  protected final void connected() {
    backoff.reset();
    if (failing) {
      failing = false;
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSinceNanos);
      LOG.info(() -> name + ": reconnected to Redis after " + ms + " ms");
    }
  }

  @Override
  public final void run() {
    while (!isStopped()) {
      try (Jedis jedis = connections.dedicated(clientName, key)) {
        current = jedis;
        if (isStopped()) {
          return;
        }
        session(jedis);
      } catch (RuntimeException e) {
        if (isStopped()) {
          return;
        }
        stats.brokerError();
        if (e instanceof JedisConnectionException || e instanceof JedisRedirectionException) {
          connections.connectionLost(e);
        }
        if (!failing) {
          failing = true;
          failingSinceNanos = System.nanoTime();
          LOG.warning(() -> name + ": Redis unreachable (" + e + "); reconnecting with backoff");
        }
        LOG.log(Level.FINE, name + ": Redis connection failed", e);
      } finally {
        current = null;
      }
      sessionEnded();
      pause(backoff.next().toMillis());
    }
  }

  /**
   * Ends the backoff delay going on, if any: the pooled connections' probe found Redis answering
   * again, so the loop reconnects now rather than when its delay is over.
   */
  final void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  private void pause(long ms) {
    // A wake left from before this failure costs one early attempt at most: harmless.
    try {
      wake.tryAcquire(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      stopped.countDown();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Closes the current session's connection from another thread, when it no longer answers: the
   * session fails, and the loop reconnects as after any other failure.
   */
  final void abortSession() {
    disconnect(current);
  }

  /**
   * Closes {@code jedis} from a thread other than the loop's. The loop thread may be closing it at
   * the same moment, when Jedis's flush before the close fails: it is closed either way.
   */
  private static void disconnect(Jedis jedis) {
    if (jedis == null) {
      return;
    }
    try {
      jedis.disconnect();
    } catch (JedisException e) {
      // already closed by the loop thread, or broken: nothing left to close
    }
  }

  /**
   * Ends the loop without waiting for its thread, which may be busy outside Redis: it leaves once
   * its session looks whether the loop has stopped. Its connection is closed now.
   */
  final void retire() {
    stopped.countDown();
    wake.release();
    connections.offAnswering(wakeUp);
    disconnect(current);
  }

  /** Waits {@code ms}, or less if the loop stops meanwhile; returns whether it has stopped. */
  final boolean awaitStop(long ms) {
    try {
      return stopped.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Ends the loop: closes its connection to interrupt a blocking read, waits for the thread. */
  final void stop(long waitMs) {
    retire();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
