package dev.juggler.callee.worker;

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
 * @param stats the counters the loops update
 * @param outage logs broker failures once per outage
 * @param sleeper waits out back-off ({@link Sleeper#THREAD} outside tests)
 */
public record WorkerSetup(
    CalleeBroker broker,
    CallHandler handler,
    List<String> uris,
    Duration takeWait,
    CalleeStats stats,
    OutageLog outage,
    Sleeper sleeper) {

  public WorkerSetup {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(handler, "handler");
    uris = List.copyOf(uris);
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("no URIs to serve");
    }
    Objects.requireNonNull(takeWait, "takeWait");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(outage, "outage");
    Objects.requireNonNull(sleeper, "sleeper");
  }
}
