package dev.juggler.web.config;

import dev.juggler.web.conn.ConnRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes every connection with 1001 (going away) and a reason when the node stops, so that clients
 * reconnect elsewhere at once instead of seeing their connection drop.
 *
 * <p>On SIGTERM Liberty first quiesces the server, which stops its HTTP listener and then drops the
 * connections still open without a close frame (clients see 1006); the application is stopped only
 * after that, too late for a {@code @PreDestroy}. Liberty gives applications no earlier notice (its
 * {@code destroyOnQuiesce} singletons are a beta feature), so a JVM shutdown hook, which runs as
 * soon as the signal arrives, alongside Liberty's own, closes the connections. The hook is a plain
 * thread because the container may be stopping its managed ones at that moment; it only flags the
 * registry and writes close frames, bounded by {@code juggler.server.shutdown-wait}.
 *
 * <p>{@code @PreDestroy} does the same for a stop without a signal (the {@code server stop} command
 * or an undeploy) and removes the hook, so that a redeployed application leaves none behind.
 */
@ApplicationScoped
public class GracefulShutdown {
  private static final Logger LOG = Logger.getLogger(GracefulShutdown.class.getName());

  @Inject ConnRegistry registry;
  @Inject ServerConfig config;

  private Thread hook;

  synchronized void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    hook = new Thread(this::shutdown, "juggler-graceful-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private void shutdown() {
    registry.shutdown(config.shutdownWait());
  }

  @PreDestroy
  synchronized void stop() {
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook runs (or ran) anyway
        LOG.log(Level.FINE, "shutdown hook already running", e);
      }
      hook = null;
    }
    shutdown();
  }
}
