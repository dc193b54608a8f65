package dev.juggler.web.lifecycle;

import dev.juggler.lifecycle.HeapRelease;
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
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

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
    warnOfHttpsWithoutKeystore(ConfigProvider.getConfig());
    HeapRelease.applyConfigured();
    if (readiness.checkAtStartup()) {
      LOG.info(() -> "Juggler server ready at /ws; " + config);
    } else {
      LOG.info(() -> "Juggler server started at /ws, waiting for Redis; " + config);
    }
  }

  /**
   * The server's HTTPS port opens with the empty keystore that stands in when none is given
   * (server.xml), and every TLS handshake on it then fails: say so once, at start.
   */
  static void warnOfHttpsWithoutKeystore(Config config) {
    int httpsPort = config.getOptionalValue("JUGGLER_HTTPS_PORT", Integer.class).orElse(-1);
    String keystore = config.getOptionalValue("JUGGLER_TLS_KEYSTORE", String.class).orElse("");
    if (httpsPort > 0 && (keystore.isBlank() || keystore.endsWith("no-key.p12"))) {
      LOG.warning(
          () ->
              "JUGGLER_HTTPS_PORT is "
                  + httpsPort
                  + " but no JUGGLER_TLS_KEYSTORE is given: every TLS handshake on that port fails."
                  + " Give the PKCS12 keystore holding the server's key and certificate.");
    }
  }
}
