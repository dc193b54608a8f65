package dev.juggler.web.health;

import dev.juggler.web.metrics.ServerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of a server node: UP while the application runs. It asks nothing of Redis on purpose: a
 * Redis outage is a reason to stop sending clients here (readiness), not to restart the node.
 */
@Liveness
@ApplicationScoped
public class ServerLiveness implements HealthCheck {
  static final String NAME = "juggler-server";

  @Inject ServerMetrics metrics;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named(NAME)
        .up()
        .withData("activeConnections", metrics.activeConns())
        .build();
  }
}
