package dev.juggler.callee.worker;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CalleeBroker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this callee process's URIs live in the broker: each {@link #run} is one {@link
 * CalleeBroker#heartbeat}, scheduled every interval with a time-to-live of a few intervals; {@link
 * #leave} removes them at once on a clean stop. Thread-safe.
 *
 * <p>{@link #run} never throws, so that a scheduled executor keeps running it through a Redis
 * outage: failures go to an {@link OutageLog} (once per outage) and the next run tries again. Runs
 * and the leave are serialized, and no run marks anything after the leave, so a heartbeat in flight
 * when the process stops cannot bring its URIs back.
 */
public final class Heartbeat implements Runnable {
  private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

  private final CalleeBroker broker;
  private final List<String> uris;
  private final String calleeId;
  private final Duration ttl;
  private final OutageLog outage;
  private boolean left; // guarded by this

  /**
   * @param uris the URIs served, none holding a newline
   * @param calleeId this process's id among the callees, the same for all its heartbeats
   * @param ttl how long one heartbeat keeps them live; a few times the interval of the runs
   */
  public Heartbeat(
      CalleeBroker broker, List<String> uris, String calleeId, Duration ttl, OutageLog outage) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.uris = List.copyOf(uris);
    this.calleeId = Objects.requireNonNull(calleeId, "calleeId");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.outage = Objects.requireNonNull(outage, "outage");
  }

  /** One heartbeat; does nothing after {@link #leave}. */
  @Override
  public synchronized void run() {
    if (left) {
      return;
    }
    try {
      broker.heartbeat(uris, calleeId, ttl);
      outage.success();
    } catch (BrokerException | RuntimeException e) {
      // RuntimeException too: a broker that cannot even be made (Redis down at startup) must not
      // end the schedule, which a task that throws would.
      outage.failure(e);
    }
  }

  /**
   * Removes this process's marks now and stops further heartbeats. When the broker cannot be
   * reached, the marks expire with their time-to-live instead. Idempotent.
   */
  public synchronized void leave() {
    if (left) {
      return;
    }
    left = true;
    try {
      broker.leave(uris, calleeId);
      LOG.fine(() -> "Juggler callee " + calleeId + " left " + uris);
    } catch (BrokerException | RuntimeException e) {
      LOG.log(
          Level.INFO,
          "Juggler callee heartbeat: could not leave; " + uris + " stay live up to " + ttl,
          e);
    }
  }
}
