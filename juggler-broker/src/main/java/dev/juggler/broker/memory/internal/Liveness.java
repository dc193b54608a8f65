package dev.juggler.broker.memory.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Which callees are live, as the Redis broker's sorted set holds it: for each URI, each callee's
 * mark with its deadline on the store's clock. Callees are independent: leaving removes only the
 * caller's own marks. Expired marks are dropped on every operation, so that callees that died do
 * not hold memory. Thread-safe: one lock.
 */
public final class Liveness {

  private final LongSupplier nanoClock;

  /** URI → callee id → deadline. Guarded by this. */
  private final Map<String, Map<String, Long>> marks = new HashMap<>();

  /**
   * @param nanoClock the clock of the deadlines, in nanoseconds, as {@link System#nanoTime()}
   */
  public Liveness(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Marks {@code uris} as served by {@code calleeId} until {@code deadline}. */
  public synchronized void heartbeat(Collection<String> uris, String calleeId, long deadline) {
    sweep(nanoClock.getAsLong());
    for (String uri : uris) {
      marks.computeIfAbsent(uri, u -> new HashMap<>()).put(calleeId, deadline);
    }
  }

  /** Removes {@code calleeId}'s marks of {@code uris}. */
  public synchronized void leave(Collection<String> uris, String calleeId) {
    for (String uri : uris) {
      Map<String, Long> callees = marks.get(uri);
      if (callees != null) {
        callees.remove(calleeId);
        if (callees.isEmpty()) {
          marks.remove(uri);
        }
      }
    }
  }

  /** The URIs with an unexpired mark, sorted, unmodifiable. */
  public synchronized SortedSet<String> live() {
    sweep(nanoClock.getAsLong());
    return Collections.unmodifiableSortedSet(new TreeSet<>(marks.keySet()));
  }

  private void sweep(long now) {
    for (Iterator<Map<String, Long>> uris = marks.values().iterator(); uris.hasNext(); ) {
      Map<String, Long> callees = uris.next();
      callees.values().removeIf(deadline -> deadline - now <= 0);
      if (callees.isEmpty()) {
        uris.remove();
      }
    }
  }
}
