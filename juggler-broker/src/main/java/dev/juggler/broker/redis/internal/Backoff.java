package dev.juggler.broker.redis.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, so that the nodes of a cluster do not all reconnect at
 * the same instant after an outage. Used by one thread only.
 */
final class Backoff {

  static final long MIN_MS = 50;
  static final long MAX_MS = 2_000;

  private long next = MIN_MS;

  /** The next delay: between half and all of the current step, which then doubles up to the cap. */
  long nextDelayMs() {
    long step = next;
    next = Math.min(MAX_MS, next * 2);
    return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
  }

  void reset() {
    next = MIN_MS;
  }
}
