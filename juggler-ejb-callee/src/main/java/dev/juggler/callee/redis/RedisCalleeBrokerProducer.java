package dev.juggler.callee.redis;

import dev.juggler.callee.config.CalleeConfig;
import dev.juggler.callee.worker.ForCallees;
import dev.juggler.core.broker.CalleeBroker;
import dev.juggler.core.broker.redis.RedisBroker;
import dev.juggler.core.broker.redis.RedisBrokerConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Produces the workers' {@link CalleeBroker}: one {@link RedisBroker} per application.
 *
 * <p>The broker is application-scoped, so it is created on the first call through its proxy (the
 * first take of a worker), not at injection: nothing connects to Redis while callees are disabled
 * or before the workers start. If Redis cannot be reached then, creation fails, the worker backs
 * off and the next take tries again. Its threads come from the container's managed thread factory.
 */
@ApplicationScoped
public class RedisCalleeBrokerProducer {
  @Inject private CalleeConfig config;
  @Resource private ManagedThreadFactory threadFactory;

  @Produces
  @ApplicationScoped
  @ForCallees
  CalleeBroker calleeBroker() {
    if (!config.enabled()) {
      throw new IllegalStateException("No callee broker: " + CalleeConfig.ENABLED + " is false");
    }
    RedisBrokerConfig settings =
        RedisBrokerConfig.of(config.redisUrl())
            .withPoolSize(config.redisPoolSize())
            .withThreadFactory(threadFactory);
    return new RedisBroker(settings);
  }

  void close(@Disposes @ForCallees CalleeBroker broker) {
    if (broker instanceof RedisBroker redis) {
      redis.close();
    }
  }
}
