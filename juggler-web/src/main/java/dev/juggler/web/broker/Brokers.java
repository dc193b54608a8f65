package dev.juggler.web.broker;

import dev.juggler.broker.Broker;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.CallerBroker;
import dev.juggler.broker.PubSubBroker;
import dev.juggler.broker.config.BrokerOptions;
import dev.juggler.broker.config.BrokerTarget;
import dev.juggler.web.config.ServerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Produces this node's brokers: one per distinct {@link BrokerTarget} of the resolved {@link
 * dev.juggler.broker.config.BrokerSettings}, so that one broker serves both roles unless calls and
 * pub-sub go to different places. Each is created on first use and closed with the application.
 *
 * <p>A broker used for one role only never opens the other role's connections: it starts its
 * results reader on the first result registration and its pub-sub connection on the first
 * subscription, and only the role's users reach it.
 */
@ApplicationScoped
public class Brokers {
  private static final Logger LOG = Logger.getLogger(Brokers.class.getName());

  @Inject ServerConfig config;
  @Resource ManagedThreadFactory threadFactory;

  private final Map<BrokerTarget, Broker> open = new LinkedHashMap<>();

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

  /** Both roles' brokers, opened if they were not yet, by target. */
  synchronized Map<BrokerTarget, Broker> openAll() {
    caller();
    pubsub();
    return new LinkedHashMap<>(open);
  }

  /** The counters of the brokers open now (one or two), without opening any. */
  public synchronized List<BrokerStats> stats() {
    return open.values().stream().map(Broker::stats).toList();
  }

  private synchronized Broker broker(BrokerTarget target, String role) {
    Broker broker = open.get(target);
    if (broker == null) {
      broker =
          target.open(
              new BrokerOptions(
                  config.callCapacity(),
                  config.resultCapacity(),
                  config.redisPoolSize(),
                  config.redisTimeout(),
                  threadFactory));
      open.put(target, broker);
      Broker b = broker;
      LOG.info(() -> "Broker for " + role + ": " + target + ", node " + b.nodeId());
    }
    return broker;
  }

  @PreDestroy
  synchronized void close() {
    open.values().forEach(Broker::close);
    open.clear();
  }
}
