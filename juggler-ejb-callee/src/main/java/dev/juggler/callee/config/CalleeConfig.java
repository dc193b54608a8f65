package dev.juggler.callee.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The callee module's settings. Thread-safe (values are injected once).
 *
 * <p>Typed getters check their value and throw {@link IllegalStateException} naming the property
 * when it is out of range; {@link #validate()} checks all of them at startup. Defaults are in the
 * annotations: inside an EAR, Liberty checks the configuration with a class loader that may not see
 * a module's own {@code microprofile-config.properties}.
 */
@ApplicationScoped
public class CalleeConfig {
  public static final String REDIS_URL = "juggler.redis.url";
  public static final String CALLER_REDIS_URL = "juggler.redis.caller.url";
  public static final String CLUSTER_NODES = "juggler.redis.cluster.nodes";
  static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  public static final String ENABLED = "juggler.callee.enabled";
  public static final String WORKERS = "juggler.callee.workers";
  public static final String URIS = "juggler.callee.uris";
  public static final String TAKE_WAIT = "juggler.callee.take-wait";
  public static final String REDIS_POOL_SIZE = "juggler.callee.redis-pool-size";

  // Each worker is a container thread and a Redis connection; more than this is a typo.
  static final int MAX_WORKERS = 1024;
  // Bounds how long a stopping worker stays blocked in the broker.
  static final long MAX_TAKE_WAIT_MILLIS = 60_000;

  @Inject
  @ConfigProperty(name = REDIS_URL)
  private Optional<String> redisUrl;

  @Inject
  @ConfigProperty(name = CALLER_REDIS_URL)
  private Optional<String> callerRedisUrl;

  @Inject
  @ConfigProperty(name = CLUSTER_NODES)
  private Optional<String> clusterNodes;

  @Inject
  @ConfigProperty(name = ENABLED, defaultValue = "true")
  private boolean enabled;

  @Inject
  @ConfigProperty(name = WORKERS, defaultValue = "8")
  private int workers;

  @Inject
  @ConfigProperty(name = URIS)
  private Optional<String> uris;

  @Inject
  @ConfigProperty(name = TAKE_WAIT, defaultValue = "1000")
  private long takeWaitMillis;

  @Inject
  @ConfigProperty(name = REDIS_POOL_SIZE)
  private Optional<Integer> redisPoolSize;

  /** Whether this process serves functions at all; when false nothing is started or connected. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The Redis server of the calls: {@code juggler.redis.caller.url}, else {@code
   * juggler.redis.url}, else {@value #DEFAULT_REDIS_URL}; the same resolution as the server's, so
   * that callees take the calls its nodes queue.
   */
  public URI redisUrl() {
    return ConfigChecks.callerRedisUrl(redisUrl, callerRedisUrl, clusterNodes);
  }

  /** {@link #redisUrl()} with any password hidden, for logs. */
  public String redisUrlForLogs() {
    return ConfigChecks.redact(redisUrl());
  }

  /** How many calls this process executes at once, each on its own worker. */
  public int workers() {
    return (int) ConfigChecks.inRange(WORKERS, workers, 1, MAX_WORKERS);
  }

  /** The URIs this process may serve; empty to serve every registered function. */
  public Optional<List<String>> uris() {
    return ConfigChecks.list(uris);
  }

  /** How long a worker waits for a call before it checks whether it should stop. */
  public Duration takeWait() {
    return Duration.ofMillis(
        ConfigChecks.inRange(TAKE_WAIT, takeWaitMillis, 1, MAX_TAKE_WAIT_MILLIS));
  }

  /**
   * The broker's pooled Redis connections; by default one per worker plus a few spare. Must exceed
   * the worker count: a worker blocked in a take holds a pooled connection, and storing results
   * needs free ones.
   */
  public int redisPoolSize() {
    int min = workers() + 1;
    int size = redisPoolSize.orElse(min + 3);
    return (int) ConfigChecks.inRange(REDIS_POOL_SIZE, size, min, Integer.MAX_VALUE);
  }

  /**
   * Checks every setting.
   *
   * @throws IllegalStateException naming the first invalid property
   */
  public void validate() {
    redisUrl();
    workers();
    uris();
    takeWait();
    redisPoolSize();
  }
}
