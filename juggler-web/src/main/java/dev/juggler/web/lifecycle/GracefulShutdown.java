package dev.juggler.web.lifecycle;

import dev.juggler.lifecycle.EarlyShutdown;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.conn.ConnRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Closes every connection with 1001 (going away) and a reason when the node stops, so that clients
 * reconnect elsewhere at once instead of seeing their connection drop.
 *
 * <p>On SIGTERM Liberty first quiesces the server, which stops its HTTP listener and then drops the
 * connections still open without a close frame (clients see 1006); the application is stopped only
 * after that, too late for a {@code @PreDestroy}. Liberty gives applications no earlier notice (its
 * {@code destroyOnQuiesce} singletons are a beta feature), so an {@link EarlyShutdown} hook closes
 * the connections as soon as the signal arrives, bounded by {@code juggler.server.shutdown-wait}.
 * {@code @PreDestroy} does the same for a stop without a signal (the {@code server stop} command or
 * an undeploy).
 */
@ApplicationScoped
public class GracefulShutdown {
  @Inject ConnRegistry registry;
  @Inject ServerConfig config;

  private EarlyShutdown hook;

  synchronized void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    hook = EarlyShutdown.register("juggler-graceful-shutdown", this::shutdown);
  }

  private void shutdown() {
    registry.shutdown(config.shutdownWait());
  }

  @PreDestroy
  synchronized void stop() {
    if (hook != null) {
      hook.close();
      hook = null;
    }
    shutdown();
  }
}
