package dev.juggler.core.broker.redis.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A circuit breaker per Redis server, so that requests fail fast while a server does not answer:
 * once a command to a server failed on its connection (it timed out, the connection broke or was
 * refused), later commands to it are refused at once, without being sent, until a probe ({@code
 * PING}) gets an answer. At most one probe is in flight per server, at most one every {@link
 * #PROBE_INTERVAL_NANOS} (the first right after the failure, which may have been one stale
 * connection); the command that made it goes on once it is answered. So, while a server is stalled,
 * only the commands already sent and one probe at a time wait for the timeout, instead of every
 * request queued behind them. Each change of state is one log line. Thread-safe.
 */
final class Breakers {

  private static final Logger LOG = Logger.getLogger(Breakers.class.getName());

  /** Least time between two probes of one server. */
  static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** What a command to a server may do now. */
  enum Admission {
    /** Send it. */
    SEND,
    /** Send a probe first; the breaker is open and this command is the one to probe. */
    PROBE_FIRST,
    /** Do not send it: the server did not answer lately and a probe is not due. */
    REFUSE
  }

  private static final class State {
    volatile boolean open;
    volatile long openSinceNanos;
    volatile long lastProbeNanos;
    final AtomicBoolean probing = new AtomicBoolean();
  }

  private final Map<Object, State> states = new ConcurrentHashMap<>();

  /** Whether a command to {@code server} may be sent now. */
  Admission admit(Object server) {
    State s = states.get(server);
    if (s == null || !s.open) {
      return Admission.SEND;
    }
    long now = System.nanoTime();
    if (now - s.lastProbeNanos >= PROBE_INTERVAL_NANOS && s.probing.compareAndSet(false, true)) {
      s.lastProbeNanos = now;
      return Admission.PROBE_FIRST;
    }
    return Admission.REFUSE;
  }

  /** Whether the breaker of {@code server} is open. */
  boolean isOpen(Object server) {
    State s = states.get(server);
    return s != null && s.open;
  }

  /** {@code server} answered; ends the probe that {@code admission} started, if any. */
  void answered(Object server, Admission admission) {
    State s = states.get(server);
    if (s == null) {
      return;
    }
    if (s.open) {
      synchronized (s) {
        if (s.open) {
          s.open = false;
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.openSinceNanos);
          LOG.info(() -> "Redis at " + server + " answers again, after " + ms + " ms");
        }
      }
    }
    if (admission == Admission.PROBE_FIRST) {
      s.probing.set(false);
    }
  }

  /** Ends the probe {@code admission} started, if any, when nothing was learnt of the server. */
  void release(Object server, Admission admission) {
    State s = states.get(server);
    if (s != null && admission == Admission.PROBE_FIRST) {
      s.probing.set(false);
    }
  }

  /**
   * A command to {@code server} failed on its connection; ends a probe {@code admission} started.
   */
  void failed(Object server, Admission admission, Exception cause) {
    State s = states.computeIfAbsent(server, k -> new State());
    if (!s.open) {
      synchronized (s) {
        if (!s.open) {
          long now = System.nanoTime();
          s.openSinceNanos = now;
          // The next command probes at once: the failure may have been one stale connection.
          s.lastProbeNanos = now - PROBE_INTERVAL_NANOS;
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
    if (admission == Admission.PROBE_FIRST) {
      s.probing.set(false);
    }
  }
}
