package dev.juggler.it.support;

import dev.juggler.broker.redis.internal.Keys;
import redis.clients.jedis.RedisClient;

/** Looks at the calls waiting in Redis for a callee. */
public final class CallQueues {
  private CallQueues() {}

  /** Waits until no call of {@code uri} waits in Redis: a callee has taken them all. */
  public static void awaitTaken(RedisClient redis, String uri) {
    long deadline = Waits.deadline();
    while (redis.llen(Keys.calls(uri)) > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("calls of " + uri + " not taken within " + Waits.SOON);
      }
      Thread.onSpinWait();
    }
  }

  /** The calls of {@code uri} waiting for a callee now. */
  public static long waiting(RedisClient redis, String uri) {
    return redis.llen(Keys.calls(uri));
  }
}
