package dev.juggler.web.lifecycle;

import dev.juggler.web.broker.BrokerReadiness;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.conn.ConnRegistry;
import dev.juggler.web.metrics.ServerMetrics;
import dev.juggler.web.security.SecurityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Checks the configuration when the application starts, so that a bad value fails the deployment
 * with a message naming the property instead of failing the first client.
 */
@ApplicationScoped
public class Startup {
  private static final Logger LOG = Logger.getLogger(Startup.class.getName());

  @Inject ServerConfig config;
  @Inject ConnRegistry registry;
  @Inject ServerMetrics metrics;
  @Inject BrokerReadiness readiness;
  @Inject SecurityConfig security;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    config.validate();
    security.validate();
    LOG.info(() -> "Juggler security: " + security);
    registry.connections(); // creates the registry (and its peer watch) now
    metrics.activeConns(); // registers every metric now: /metrics shows them from the start
    if (config.brokers().caller().singleNode() || config.brokers().pubsub().singleNode()) {
      LOG.warning(
          "Juggler runs on the in-process broker: a SINGLE NODE, sharing calls and events with no"
              + " other process. Set juggler.redis.url (or juggler.redis.cluster.nodes) to scale out.");
    }
    if (readiness.checkAtStartup()) {
      LOG.info(() -> "Juggler server ready at /ws; " + config);
    } else {
      LOG.info(() -> "Juggler server started at /ws, waiting for Redis; " + config);
    }
  }
}
