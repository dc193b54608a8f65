package dev.juggler.web.config;

import dev.juggler.core.broker.CallerBroker;
import dev.juggler.core.broker.PubSubBroker;
import dev.juggler.core.broker.redis.RedisBroker;
import dev.juggler.core.broker.redis.RedisBrokerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Produces this node's brokers: one per distinct {@link BrokerTarget} of {@link BrokerSettings}, so
 * that one Redis broker serves both roles unless calls and pub-sub go to different places. Each is
 * created on first use and closed with the application.
 *
 * <p>A broker used for one role only never opens the other role's connections: the Redis broker
 * starts its results reader on the first result registration and its pub-sub connection on the
 * first subscription, and only the role's users reach it.
 */
@ApplicationScoped
public class Brokers {
  private static final Logger LOG = Logger.getLogger(Brokers.class.getName());

  @Inject ServerConfig config;
  @Resource ManagedThreadFactory threadFactory;

  private final Map<BrokerTarget, RedisBroker> open = new LinkedHashMap<>();

  @Produces
  @ApplicationScoped
  CallerBroker caller() {
    return broker(config.brokers().caller(), "calls");
  }

  @Produces
  @ApplicationScoped
  PubSubBroker pubsub() {
    return broker(config.brokers().pubsub(), "pub-sub");
  }

  private synchronized RedisBroker broker(BrokerTarget target, String role) {
    RedisBroker broker = open.get(target);
    if (broker == null) {
      broker = create(target);
      open.put(target, broker);
    }
    RedisBroker b = broker;
    LOG.info(() -> "Redis broker for " + role + " at " + target + ", node " + b.nodeId());
    return broker;
  }

  /** The one place that turns a target into a broker. */
  private RedisBroker create(BrokerTarget target) {
    switch (target.kind()) {
      case REDIS:
        return new RedisBroker(
            RedisBrokerConfig.of(target.url())
                .withCapacities(config.callCapacity(), config.resultCapacity())
                .withPoolSize(config.redisPoolSize())
                .withTimeout(config.redisTimeout())
                .withThreadFactory(threadFactory));
      default:
        throw new IllegalStateException("no broker for " + target.kind());
    }
  }

  @PreDestroy
  synchronized void close() {
    open.values().forEach(RedisBroker::close);
    open.clear();
  }
}
