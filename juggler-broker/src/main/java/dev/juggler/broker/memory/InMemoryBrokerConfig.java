package dev.juggler.broker.memory;

import dev.juggler.broker.support.StallWatch;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Settings of an {@link InMemoryBroker}; the same meaning as in {@link
 * dev.juggler.broker.redis.RedisBrokerConfig}.
 *
 * @param callCapacity calls that may wait per URI, enforced on the calls this broker queues; 0 for
 *     no limit
 * @param resultCapacity results that may wait per connection of this broker; 0 for no limit. It
 *     travels with each call this broker queues, so callees enforce the limit of the caller's
 *     broker
 * @param threadFactory makes the broker's delivery thread (in a container, its managed thread
 *     factory)
 * @param deliveryStall how long a listener may hold the delivery thread before the deliveries
 *     behind it go on on another one (see {@link dev.juggler.broker.ResultListener})
 */
public record InMemoryBrokerConfig(
    int callCapacity, int resultCapacity, ThreadFactory threadFactory, Duration deliveryStall) {

  public InMemoryBrokerConfig {
    Objects.requireNonNull(threadFactory, "threadFactory");
    StallWatch.requireStall(Objects.requireNonNull(deliveryStall, "deliveryStall"));
    if (callCapacity < 0 || resultCapacity < 0) {
      throw new IllegalArgumentException("capacities must be >= 0");
    }
  }

  /**
   * Defaults: no capacity limits, plain daemon threads, the {@linkplain StallWatch#DEFAULT_STALL
   * default delivery stall}.
   */
  public static InMemoryBrokerConfig of() {
    ThreadFactory base = Executors.defaultThreadFactory();
    return new InMemoryBrokerConfig(
        0,
        0,
        r -> {
          Thread t = base.newThread(r);
          t.setDaemon(true);
          return t;
        },
        StallWatch.DEFAULT_STALL);
  }

  public InMemoryBrokerConfig withCapacities(int callCapacity, int resultCapacity) {
    return new InMemoryBrokerConfig(callCapacity, resultCapacity, threadFactory, deliveryStall);
  }

  public InMemoryBrokerConfig withThreadFactory(ThreadFactory threadFactory) {
    return new InMemoryBrokerConfig(callCapacity, resultCapacity, threadFactory, deliveryStall);
  }

  public InMemoryBrokerConfig withDeliveryStall(Duration deliveryStall) {
    return new InMemoryBrokerConfig(callCapacity, resultCapacity, threadFactory, deliveryStall);
  }
}
