package dev.juggler.broker.redis.internal;

import dev.juggler.broker.support.RedisGlob;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A channel or pattern that local subscribers listen to, with the Redis subscription they share.
 * Mutated under the {@link NodeSubscriptions} lock; the subscriber set is read without it.
 */
final class Topic {

  /** A channel or pattern, as the client named it. */
  record Key(String name, boolean pattern) {
    String redisName() {
      return Keys.channel(name);
    }
  }

  final Key key;
  final Set<RedisSubscriber> subscribers = ConcurrentHashMap.newKeySet();

  /** A pattern's matcher, as Redis matches it; {@code null} for a channel. */
  final RedisGlob glob;

  /**
   * Completed when Redis confirmed the subscription on the current connection; replaced under the
   * lock, read without it by PUBs ({@link #isConfirmed}).
   */
  volatile CompletableFuture<Void> confirmed = new CompletableFuture<>();

  Topic(Key key) {
    this.key = key;
    this.glob = key.pattern() ? new RedisGlob(key.name()) : null;
  }

  /** Whether Redis confirmed the subscription on the current connection. */
  boolean isConfirmed() {
    CompletableFuture<Void> c = confirmed;
    return c.isDone() && !c.isCompletedExceptionally();
  }
}
