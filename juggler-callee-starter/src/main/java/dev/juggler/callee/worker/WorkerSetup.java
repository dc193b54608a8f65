package dev.juggler.callee.worker;

import dev.juggler.backoff.Backoff;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.callee.function.CallHandler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What all worker loops of a process share.
 *
 * @param broker where calls come from and results go
 * @param handler executes a call
 * @param uris the URIs served, not empty
 * @param takeWait how long one take blocks before the loop re-checks its stop flag
 * @param callsPerTake the most calls one take brings while calls run short (see {@link
 *     WorkerLoop}), at least 1
 * @param stats the counters the loops update
 * @param outage logs broker failures once per outage
 * @param sleeper waits out back-off ({@link Sleeper#THREAD} outside tests)
 * @param backoff how long to wait after broker failures in a row ({@link #BROKER_BACKOFF} outside
 *     tests)
 */
public record WorkerSetup(
    CalleeBroker broker,
    CallHandler handler,
    List<String> uris,
    Duration takeWait,
    int callsPerTake,
    CalleeStats stats,
    OutageLog outage,
    Sleeper sleeper,
    Backoff backoff) {

  /** The workers' back-off when the broker fails: 100 ms, doubling, at most 5 s, with jitter. */
  public static final Backoff BROKER_BACKOFF =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

  public WorkerSetup {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(handler, "handler");
    uris = List.copyOf(uris);
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("no URIs to serve");
    }
    Objects.requireNonNull(takeWait, "takeWait");
    if (callsPerTake < 1) {
      throw new IllegalArgumentException("callsPerTake must be at least 1");
    }
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(outage, "outage");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(backoff, "backoff");
  }
}
