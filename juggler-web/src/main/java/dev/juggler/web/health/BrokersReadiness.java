package dev.juggler.web.health;

import dev.juggler.broker.config.BrokerTarget;
import dev.juggler.web.broker.BrokerReadiness;
import dev.juggler.web.conn.ConnRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of a server node: UP when the store of each of its brokers (one, or two when calls and
 * pub-sub are split) answers a ping; DOWN naming each one that does not, and DOWN once the node has
 * begun to shut down (it accepts no more connections).
 *
 * <p>Probes may come often and from several places: the pings run one round at a time and at most
 * once per {@link #MAX_AGE_NANOS}; a probe within that time of the last round gets its answers, a
 * probe that comes while a round runs waits for that round's. So a dead Redis (each ping bounded by
 * {@code juggler.redis.timeout}) costs one round of pings however many probes come.
 *
 * <p>More reasons not to be ready go in {@code reasonsNotReady}.
 */
@Readiness
@ApplicationScoped
public class BrokersReadiness implements HealthCheck {
  static final String NAME = "juggler-brokers";
  static final long MAX_AGE_NANOS = 1_000_000_000L;

  @Inject BrokerReadiness brokers;
  @Inject ConnRegistry registry;

  private Map<BrokerTarget, Boolean> lastAnswers; // guarded by this
  private long lastNanos;

  @Override
  public HealthCheckResponse call() {
    Map<BrokerTarget, Boolean> answers = answers();
    List<String> reasons = reasonsNotReady(answers);
    HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(reasons.isEmpty());
    answers.forEach((target, up) -> response.withData(target.toString(), up ? "UP" : "DOWN"));
    if (!reasons.isEmpty()) {
      response.withData("reason", String.join("; ", reasons));
    }
    return response.build();
  }

  /** Why the node should get no clients now; empty when it is ready. */
  private List<String> reasonsNotReady(Map<BrokerTarget, Boolean> answers) {
    List<String> reasons = new ArrayList<>();
    if (registry.stopping()) {
      reasons.add(ConnRegistry.SHUTTING_DOWN);
    }
    answers.forEach(
        (target, up) -> {
          if (!up) {
            reasons.add(target + " does not answer");
          }
        });
    return reasons;
  }

  private synchronized Map<BrokerTarget, Boolean> answers() {
    long now = System.nanoTime();
    if (lastAnswers == null || now - lastNanos > MAX_AGE_NANOS) {
      lastAnswers = brokers.pingAll();
      lastNanos = System.nanoTime();
    }
    return lastAnswers;
  }
}
