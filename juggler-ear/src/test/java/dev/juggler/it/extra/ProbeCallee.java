package dev.juggler.it.extra;

import dev.juggler.callee.RpcFunction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.RedisClient;

/** {@code it.probe}: records each call's argument in Redis ({@code INCR it:probe:<arg>}). */
@ApplicationScoped
public class ProbeCallee {
  @Inject
  @ConfigProperty(name = "juggler.redis.url")
  URI redisUrl;

  @RpcFunction("it.probe")
  public String probe(String arg) {
    try (RedisClient redis = RedisClient.create(redisUrl)) {
      redis.incr("it:probe:" + arg);
    }
    return arg;
  }
}
