package dev.juggler.broker.redis.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A circuit breaker per Redis server, so that requests fail fast while a server does not answer:
 * once a command to a server failed on its connection (it timed out, the connection broke or was
 * refused), later commands to it are refused at once, without being sent, until a probe ({@code
 * PING}) gets an answer. One thread per server with an open breaker probes: right after the failure
 * (which may have been one stale connection), then {@link #PROBE_INTERVAL_NANOS} after each failed
 * probe, so that the breaker closes as soon as the server is back, with or without traffic. So
 * while a server is stalled only the commands already sent wait for the timeout, never a request
 * queued behind them. Each change of state is one log line. Thread-safe.
 */
final class Breakers {

  private static final Logger LOG = Logger.getLogger(Breakers.class.getName());

  /** Time from the end of a failed probe of a server to the start of the next. */
  static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private static final class State {
    volatile boolean open;
    volatile long openSinceNanos;
    final AtomicBoolean probing = new AtomicBoolean();
  }

  private final Map<Object, State> states = new ConcurrentHashMap<>();

  /** Whether commands to {@code server} are refused now. */
  boolean isOpen(Object server) {
    State s = states.get(server);
    return s != null && s.open;
  }

  /**
   * Whether the caller is to probe {@code server} now: its breaker is open and no probe is in
   * flight. A caller told so must call {@link #probeEnded} when it stops probing.
   */
  boolean probeDue(Object server) {
    State s = states.get(server);
    return s != null && s.open && s.probing.compareAndSet(false, true);
  }

  /** The prober {@link #probeDue} asked for stopped. */
  void probeEnded(Object server) {
    State s = states.get(server);
    if (s != null) {
      s.probing.set(false);
    }
  }

  /**
   * {@code server} answered a command or a probe: commands to it are sent again. Returns whether
   * this closed its breaker.
   */
  boolean answered(Object server) {
    State s = states.get(server);
    if (s != null && s.open) {
      synchronized (s) {
        if (s.open) {
          s.open = false;
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.openSinceNanos);
          LOG.info(() -> "Redis at " + server + " answers again, after " + ms + " ms");
          return true;
        }
      }
    }
    return false;
  }

  /** A command to {@code server} failed on its connection: refuse commands until a probe works. */
  void failed(Object server, Exception cause) {
    State s = states.computeIfAbsent(server, k -> new State());
    if (!s.open) {
      synchronized (s) {
        if (!s.open) {
          long now = System.nanoTime();
          s.openSinceNanos = now;
          s.open = true;
          LOG.warning(
              () ->
                  "Redis at "
                      + server
                      + " does not answer ("
                      + cause
                      + (cause.getCause() == null ? "" : ", cause: " + cause.getCause())
                      + "); requests to it get NACK 503 at once until a probe is answered");
        }
      }
    }
  }
}
