package dev.juggler.callee.broker;

import dev.juggler.broker.Broker;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.broker.config.BrokerOptions;
import dev.juggler.callee.config.CalleeConfig;
import dev.juggler.callee.worker.ForCallees;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Produces the workers' {@link CalleeBroker} (as a {@link Broker}, whose {@link Broker#stats()} the
 * callee metrics read): one broker per application, on the target of {@link
 * CalleeConfig#brokerTarget()} (Redis, a Redis Cluster, or the in-process broker shared with the
 * server in the same EAR).
 *
 * <p>The broker is application-scoped, so it is created on the first call through its proxy (the
 * first take of a worker), not at injection: nothing connects while callees are disabled or before
 * the workers start. If Redis cannot be reached then, the take fails, the worker backs off and the
 * next take tries again. Its threads come from the container's managed thread factory.
 */
@ApplicationScoped
public class CalleeBrokerProducer {
  @Inject private CalleeConfig config;
  @Resource private ManagedThreadFactory threadFactory;

  @Produces
  @ApplicationScoped
  @ForCallees
  Broker calleeBroker() {
    if (!config.enabled()) {
      throw new IllegalStateException("No callee broker: " + CalleeConfig.ENABLED + " is false");
    }
    // Capacities are the callers' business: the call limit is checked where calls are queued, and
    // the result limit travels with each call from the node that queued it.
    return config
        .brokerTarget()
        .open(
            new BrokerOptions(0, 0, config.redisPoolSize(), config.redisTimeout(), threadFactory));
  }

  void close(@Disposes @ForCallees Broker broker) {
    broker.close();
  }
}
