package dev.juggler.web.conn;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CALLs of one connection stored and not yet answered by a RES, each until its timeout: when
 * its ACK was written, so that the RES can be timed ({@code CallLatency}), and when it is due, so
 * that a call that never gets a RES is forgotten and counted ({@code ExpiredCalls}) instead of
 * kept. Times are {@link System#nanoTime()} instants of this server. Thread-safe.
 */
final class PendingCalls {
  /** {@code ackNanos} is meaningful once {@code acked}. */
  private record Pending(long deadlineNanos, boolean acked, long ackNanos) {}

  private final Map<UUID, Pending> calls = new ConcurrentHashMap<>();

  /** The call is being stored; it is due {@code timeout} from now. */
  void storing(UUID callUuid, Duration timeout, long nowNanos) {
    long nanos =
        timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos();
    calls.put(callUuid, new Pending(nowNanos + nanos, false, 0));
  }

  /** The call's ACK was written now. */
  void acked(UUID callUuid, long nowNanos) {
    calls.computeIfPresent(callUuid, (k, p) -> new Pending(p.deadlineNanos, true, nowNanos));
  }

  /** The call was refused (NACK): no RES will come. */
  void refused(UUID callUuid) {
    calls.remove(callUuid);
  }

  /**
   * Whether a RES for the call may be written now: the call is known (stored, not refused, not yet
   * answered) and its timeout, counted on this server's clock from before it was stored, has not
   * passed. A RES that fails this goes nowhere, whatever the broker did: after a NACK the call must
   * look not carried out, and after its timeout the client has given up on it.
   */
  boolean mayAnswer(UUID callUuid, long nowNanos) {
    Pending p = calls.get(callUuid);
    return p != null && nowNanos - p.deadlineNanos < 0;
  }

  /**
   * The call's RES was written now: forgets the call, and returns the nanoseconds since its ACK, or
   * -1 when it was not acknowledged (or is not known, or had expired).
   */
  long answered(UUID callUuid, long nowNanos) {
    Pending p = calls.remove(callUuid);
    return p == null || !p.acked ? -1 : nowNanos - p.ackNanos;
  }

  /** Forgets the calls past their timeout; returns how many of them had been acknowledged. */
  int expire(long nowNanos) {
    int expired = 0;
    for (Iterator<Pending> it = calls.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (nowNanos - p.deadlineNanos > 0) {
        it.remove();
        expired += p.acked ? 1 : 0;
      }
    }
    return expired;
  }

  int size() {
    return calls.size();
  }

  void clear() {
    calls.clear();
  }
}
