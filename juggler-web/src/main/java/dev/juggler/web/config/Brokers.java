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
import java.net.URI;
import java.util.logging.Logger;

/**
 * Produces this node's brokers: one Redis broker serves both roles, created on first use and closed
 * with the application.
 */
@ApplicationScoped
public class Brokers {
  private static final Logger LOG = Logger.getLogger(Brokers.class.getName());

  @Inject ServerConfig config;
  @Resource ManagedThreadFactory threadFactory;

  private RedisBroker broker;

  private synchronized RedisBroker broker() {
    if (broker == null) {
      broker =
          new RedisBroker(
              RedisBrokerConfig.of(config.redisUrl())
                  .withCapacities(config.callCapacity(), config.resultCapacity())
                  .withPoolSize(config.redisPoolSize())
                  .withThreadFactory(threadFactory));
      LOG.info(() -> "Redis broker for " + redact(config.redisUrl()) + ", node " + broker.nodeId());
    }
    return broker;
  }

  @Produces
  @ApplicationScoped
  CallerBroker caller() {
    return broker();
  }

  @Produces
  @ApplicationScoped
  PubSubBroker pubsub() {
    return broker();
  }

  @PreDestroy
  synchronized void close() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** The URL without its password, for logs. */
  static String redact(URI url) {
    String info = url.getUserInfo();
    return info == null ? url.toString() : url.toString().replace(info + "@", "***@");
  }
}
