package dev.juggler.web.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * What the handshake checks and the security handlers refused, in the application registry: {@code
 * RefusedHandshakes} tagged with the HTTP status (400 bad request, 401 invalid token, 403 origin
 * not allowed, 503 shutting down), {@code Unauthenticated} (NACK 401) and {@code Unauthorized}
 * (NACK 403). Registered when the application starts, so that they show from the first scrape.
 */
@ApplicationScoped
public class SecurityMetrics {
  private static final int[] STATUSES = {400, 401, 403, 503};
  private static final Metadata REFUSED =
      Metadata.builder()
          .withName("RefusedHandshakes")
          .withDescription("WebSocket handshakes refused, by HTTP status")
          .build();

  @Inject MetricRegistry registry;

  private final Map<Integer, Counter> refused = new ConcurrentHashMap<>();
  private Counter unauthenticated;
  private Counter unauthorized;

  @PostConstruct
  void register() {
    for (int status : STATUSES) {
      refusedCounter(status);
    }
    unauthenticated =
        registry.counter(
            Metadata.builder()
                .withName("Unauthenticated")
                .withDescription(
                    "Protected requests refused (NACK 401): no token, or the token expired")
                .build());
    unauthorized =
        registry.counter(
            Metadata.builder()
                .withName("Unauthorized")
                .withDescription("Requests that no authorization rule allows (NACK 403)")
                .build());
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    // observing the start creates the bean, and so registers the counters, then
  }

  private Counter refusedCounter(int status) {
    return refused.computeIfAbsent(
        status, s -> registry.counter(REFUSED, new Tag("status", Integer.toString(s))));
  }

  /** A handshake was refused with {@code status}. */
  public void handshakeRefused(int status) {
    refusedCounter(status).inc();
  }

  /** A protected request got NACK 401. */
  public void unauthenticated() {
    unauthenticated.inc();
  }

  /** A request got NACK 403 from the authorization rules. */
  public void unauthorized() {
    unauthorized.inc();
  }
}
