package dev.juggler.broker.redis;

import dev.juggler.broker.support.StallWatch;
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
 * @param deliveryStall how long a result listener may hold the delivering thread before the node's
 *     other results are delivered on another one (see {@link dev.juggler.broker.ResultListener})
 */
public record RedisBrokerConfig(
    RedisTarget target,
    int callCapacity,
    int resultCapacity,
    int poolSize,
    Duration timeout,
    ThreadFactory threadFactory,
    Duration deliveryStall) {

  public RedisBrokerConfig {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(threadFactory, "threadFactory");
    StallWatch.requireStall(Objects.requireNonNull(deliveryStall, "deliveryStall"));
    if (callCapacity < 0 || resultCapacity < 0 || poolSize < 1) {
      throw new IllegalArgumentException("capacities must be >= 0 and poolSize >= 1");
    }
  }

  /**
   * Settings for one Redis server, with the {@linkplain StallWatch#DEFAULT_STALL default delivery
   * stall}.
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
        threadFactory,
        StallWatch.DEFAULT_STALL);
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
   * timeout, plain daemon threads, the {@linkplain StallWatch#DEFAULT_STALL default delivery
   * stall}.
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
        },
        StallWatch.DEFAULT_STALL);
  }

  public RedisBrokerConfig withTarget(RedisTarget target) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory, deliveryStall);
  }

  public RedisBrokerConfig withCapacities(int callCapacity, int resultCapacity) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory, deliveryStall);
  }

  public RedisBrokerConfig withPoolSize(int poolSize) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory, deliveryStall);
  }

  public RedisBrokerConfig withTimeout(Duration timeout) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory, deliveryStall);
  }

  public RedisBrokerConfig withThreadFactory(ThreadFactory threadFactory) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory, deliveryStall);
  }

  public RedisBrokerConfig withDeliveryStall(Duration deliveryStall) {
    return new RedisBrokerConfig(
        target, callCapacity, resultCapacity, poolSize, timeout, threadFactory, deliveryStall);
  }
}
