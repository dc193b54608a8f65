package dev.juggler.callee.observe;

import dev.juggler.callee.worker.CalleeWorkers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of this process's callees ({@code juggler-callees}): UP when callees are disabled or
 * have nothing to serve (the data says which), UP while the workers run and reach Redis; DOWN while
 * they are in a Redis outage (since its first failure, until a worker gets through again), when no
 * worker runs, and once they were stopped. Costs no Redis command: it reads what the workers saw.
 */
@Readiness
@ApplicationScoped
public class CalleeReadiness implements HealthCheck {
  static final String NAME = "juggler-callees";

  @Inject Instance<CalleeWorkers> instance;
  private Workers workers;

  @PostConstruct
  void init() {
    workers = new Workers(instance);
  }

  @Override
  public HealthCheckResponse call() {
    CalleeWorkers workers = this.workers.get();
    HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
    if (!workers.enabled()) {
      return response.up().withData("callees", "disabled").build();
    }
    List<String> uris = workers.servedUris();
    if (uris.isEmpty() && !workers.stopped()) {
      return response.up().withData("callees", "nothing to serve").build();
    }
    List<String> reasons = reasonsNotReady(workers);
    response
        .status(reasons.isEmpty())
        .withData("uris", String.join(",", uris))
        .withData("workers", workers.workers())
        .withData("runningWorkers", workers.runningWorkers());
    if (!reasons.isEmpty()) {
      response.withData("reason", String.join("; ", reasons));
    }
    return response.build();
  }

  /** Why these callees cannot serve now; empty when they can. */
  private static List<String> reasonsNotReady(CalleeWorkers workers) {
    List<String> reasons = new ArrayList<>();
    if (workers.stopped()) {
      reasons.add("workers stopped");
      return reasons;
    }
    Optional<Instant> outage = workers.outageSince();
    outage.ifPresent(since -> reasons.add(workers.brokerTarget() + " unreachable since " + since));
    if (workers.runningWorkers() == 0) {
      reasons.add("no worker running");
    }
    return reasons;
  }
}
