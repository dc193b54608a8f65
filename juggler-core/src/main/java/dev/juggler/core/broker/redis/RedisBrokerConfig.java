package dev.juggler.core.broker.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Settings of a {@link RedisBroker}.
 *
 * @param url the Redis server, {@code redis://[user:password@]host:port[/db]}
 * @param callCapacity calls that may wait per URI; 0 for no limit
 * @param resultCapacity results that may wait per connection of this node; 0 for no limit. It
 *     travels with each call this node queues, so callees enforce the limit of the caller's node
 * @param poolSize the most pooled (non-blocking) Redis connections
 * @param timeout connect and socket timeout of Redis commands (blocking waits excluded)
 * @param threadFactory makes the broker's few long-running threads (in a container, its managed
 *     thread factory)
 */
public record RedisBrokerConfig(
    URI url,
    int callCapacity,
    int resultCapacity,
    int poolSize,
    Duration timeout,
    ThreadFactory threadFactory) {

  public RedisBrokerConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(threadFactory, "threadFactory");
    if (callCapacity < 0 || resultCapacity < 0 || poolSize < 1) {
      throw new IllegalArgumentException("capacities must be >= 0 and poolSize >= 1");
    }
  }

  /** Defaults: no capacity limits, 16 pooled connections, 2 s timeout, plain daemon threads. */
  public static RedisBrokerConfig of(URI url) {
    ThreadFactory base = Executors.defaultThreadFactory();
    return new RedisBrokerConfig(
        url,
        0,
        0,
        16,
        Duration.ofSeconds(2),
        r -> {
          Thread t = base.newThread(r);
          t.setDaemon(true);
          return t;
        });
  }

  public RedisBrokerConfig withCapacities(int callCapacity, int resultCapacity) {
    return new RedisBrokerConfig(
        url, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }

  public RedisBrokerConfig withPoolSize(int poolSize) {
    return new RedisBrokerConfig(
        url, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }

  public RedisBrokerConfig withTimeout(Duration timeout) {
    return new RedisBrokerConfig(
        url, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }

  public RedisBrokerConfig withThreadFactory(ThreadFactory threadFactory) {
    return new RedisBrokerConfig(
        url, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }
}
