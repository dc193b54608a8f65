package dev.juggler.web.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of a server node's own capacity to serve {@code /ws}: DOWN when its WebSocket endpoint
 * is not deployed or when it is nearly out of file descriptors (see {@link NodeCapacity}), with the
 * reason; its data shows the descriptors open, the limit and the reserve.
 */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {
  static final String NAME = "juggler-node";

  @Inject NodeCapacity capacity;

  @Override
  public HealthCheckResponse call() {
    String problem = capacity.problem();
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named(NAME)
            .status(problem == null)
            .withData("endpoint", capacity.endpointDeployed() ? "deployed" : "missing");
    long max = capacity.maxFiles();
    if (max > 0) {
      response
          .withData("openFileDescriptors", capacity.openFiles())
          .withData("maxFileDescriptors", max)
          .withData("reservedFileDescriptors", capacity.reserve(max));
    }
    if (problem != null) {
      response.withData("reason", problem);
    }
    return response.build();
  }
}
