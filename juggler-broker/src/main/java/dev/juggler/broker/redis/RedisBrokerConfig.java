package dev.juggler.broker.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Settings of a {@link RedisBroker}.
 *
 * @param target the Redis server or Redis Cluster
 * @param callCapacity calls that may wait per URI; 0 for no limit
 * @param resultCapacity results that may wait per connection of this node; 0 for no limit. It
 *     travels with each call this node queues, so callees enforce the limit of the caller's node
 * @param poolSize the most pooled Redis connections, per node on a cluster
 * @param timeout connect and socket timeout of Redis commands (blocking waits excluded)
 * @param threadFactory makes the broker's few long-running threads (in a container, its managed
 *     thread factory)
 */
public record RedisBrokerConfig(
    RedisTarget target,
    int callCapacity,
    int resultCapacity,
    int poolSize,
    Duration timeout,
    ThreadFactory threadFactory) {

  public RedisBrokerConfig {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(threadFactory, "threadFactory");
    if (callCapacity < 0 || resultCapacity < 0 || poolSize < 1) {
      throw new IllegalArgumentException("capacities must be >= 0 and poolSize >= 1");
    }
  }

  /**
   * Settings for one Redis server.
   *
   * @param url {@code redis://[user:password@]host:port[/db]}
   * @throws IllegalArgumentException when {@code url} is not a Redis URL
   */
  public RedisBrokerConfig(
      URI url,
      int callCapacity,
      int resultCapacity,
      int poolSize,
      Duration timeout,
      ThreadFactory threadFactory) {
    this(
        new RedisTarget.Standalone(url),
        callCapacity,
        resultCapacity,
        poolSize,
        timeout,
        threadFactory);
  }

  /**
   * The Redis server's URL, or {@code null} when the target is a cluster.
   *
   * @see #target()
   */
  public URI url() {
    return target instanceof RedisTarget.Standalone standalone ? standalone.url() : null;
  }

  /**
   * Defaults for one Redis server: see {@link #of(RedisTarget)}.
   *
   * @throws IllegalArgumentException when {@code url} is not a Redis URL
   */
  public static RedisBrokerConfig of(URI url) {
    return of(new RedisTarget.Standalone(url));
  }

  /**
   * Defaults for a Redis Cluster without credentials: see {@link #of(RedisTarget)}.
   *
   * @param seedNodes comma-separated {@code host:port} of some of the cluster's nodes
   * @throws IllegalArgumentException when {@code seedNodes} is empty or malformed
   */
  public static RedisBrokerConfig ofCluster(String seedNodes) {
    return of(RedisTarget.Cluster.parse(seedNodes));
  }

  /**
   * Defaults: no capacity limits, 16 pooled connections (per cluster node on a cluster), 2 s
   * timeout, plain daemon threads.
   */
  public static RedisBrokerConfig of(RedisTarget target) {
    ThreadFactory base = Executors.defaultThreadFactory();
    return new RedisBrokerConfig(
        target,
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

  public RedisBrokerConfig withTarget(RedisTarget target) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }

  public RedisBrokerConfig withCapacities(int callCapacity, int resultCapacity) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }

  public RedisBrokerConfig withPoolSize(int poolSize) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }

  public RedisBrokerConfig withTimeout(Duration timeout) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }

  public RedisBrokerConfig withThreadFactory(ThreadFactory threadFactory) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory);
  }
}
