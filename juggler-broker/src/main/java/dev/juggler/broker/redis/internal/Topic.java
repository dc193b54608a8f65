package dev.juggler.broker.redis.internal;

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

  /** Completed when Redis confirmed the subscription on the current connection. */
  CompletableFuture<Void> confirmed = new CompletableFuture<>();

  Topic(Key key) {
    this.key = key;
  }
}
