package dev.juggler.it.extra;

import dev.juggler.web.conn.ConnEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.RedisClient;

/**
 * Records the lifecycle events of connections that send an {@code X-IT-Tag} handshake header, in
 * Redis list {@code it:events:<tag>}: {@code accepting}, {@code connected}, {@code closed <code>
 * <reason>}.
 */
@ApplicationScoped
public class LifecycleRecorder {
  @Inject
  @ConfigProperty(name = "juggler.redis.url")
  URI redisUrl;

  void accepting(@Observes ConnEvent.Accepting e) {
    record(e.headers().get("x-it-tag"), "accepting");
  }

  void connected(@Observes ConnEvent.Connected e) {
    record(e.conn().handshakeHeaders().get("X-IT-Tag"), "connected");
  }

  void closed(@Observes ConnEvent.Closed e) {
    record(e.conn().handshakeHeaders().get("X-IT-Tag"), "closed " + e.code() + " " + e.reason());
  }

  private void record(List<String> tag, String what) {
    if (tag == null || tag.isEmpty()) {
      return;
    }
    try (RedisClient redis = RedisClient.create(redisUrl)) {
      redis.rpush("it:events:" + tag.get(0), what);
    }
  }
}
