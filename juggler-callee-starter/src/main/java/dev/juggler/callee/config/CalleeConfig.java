package dev.juggler.callee.config;

import dev.juggler.broker.config.BrokerSettings;
import dev.juggler.broker.config.BrokerTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
  public static final String REDIS_TIMEOUT = "juggler.redis.timeout";
  public static final String ENABLED = "juggler.callee.enabled";
  public static final String WORKERS = "juggler.callee.workers";
  public static final String URIS = "juggler.callee.uris";
  public static final String TAKE_WAIT = "juggler.callee.take-wait";
  public static final String CALLS_PER_TAKE = "juggler.callee.calls-per-take";
  public static final String REDIS_POOL_SIZE = "juggler.callee.redis-pool-size";
  public static final String SHUTDOWN_WAIT = "juggler.callee.shutdown-wait";
  public static final String HEARTBEAT_INTERVAL = "juggler.callee.heartbeat-interval";

  /** A heartbeat's time-to-live, in intervals: two heartbeats may be missed before a URI goes. */
  public static final int HEARTBEAT_TTL_INTERVALS = 3;

  // Each worker is a container thread and a Redis connection; more than this is a typo.
  static final int MAX_WORKERS = 1024;
  // Bounds how long a stopping worker stays blocked in the broker.
  static final long MAX_TAKE_WAIT_MILLIS = 60_000;
  // A worker runs the calls of one take one after the other; more than this is a typo.
  static final int MAX_CALLS_PER_TAKE = 1024;
  // Liberty gives the whole server stop about 30 s after its quiesce; more would be cut short.
  static final long MAX_SHUTDOWN_WAIT_MILLIS = 25_000;
  // Heartbeats more often than this would only load Redis; a value below it is likely a typo.
  static final long MIN_HEARTBEAT_MILLIS = 100;

  // No defaults: BrokerSettings resolves these four as the server does, so that callees take the
  // calls its nodes queue.
  @Inject
  @ConfigProperty(name = BrokerSettings.URL)
  private Optional<String> redisUrl;

  @Inject
  @ConfigProperty(name = BrokerSettings.CALLER_URL)
  private Optional<String> callerRedisUrl;

  @Inject
  @ConfigProperty(name = BrokerSettings.PUBSUB_URL)
  private Optional<String> pubsubRedisUrl;

  @Inject
  @ConfigProperty(name = BrokerSettings.CLUSTER_NODES)
  private Optional<String> clusterNodes;

  @Inject
  @ConfigProperty(name = REDIS_TIMEOUT, defaultValue = "2000")
  private long redisTimeoutMillis;

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
  @ConfigProperty(name = CALLS_PER_TAKE, defaultValue = "8")
  private int callsPerTake;

  @Inject
  @ConfigProperty(name = REDIS_POOL_SIZE)
  private Optional<Integer> redisPoolSize;

  @Inject
  @ConfigProperty(name = SHUTDOWN_WAIT, defaultValue = "10000")
  private long shutdownWaitMillis;

  @Inject
  @ConfigProperty(name = HEARTBEAT_INTERVAL, defaultValue = "1000")
  private long heartbeatIntervalMillis;

  /** Whether this process serves functions at all; when false nothing is started or connected. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Where the calls are: the caller role of {@link BrokerSettings}, resolved from the same
   * properties as the server's (the in-process broker when no Redis is configured).
   *
   * @throws IllegalStateException naming the properties when they do not make sense together
   */
  public BrokerTarget brokerTarget() {
    try {
      return BrokerSettings.resolve(redisUrl, callerRedisUrl, pubsubRedisUrl, clusterNodes)
          .caller();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Invalid configuration: " + e.getMessage(), e);
    }
  }

  /** Redis connect and command timeout. */
  public Duration redisTimeout() {
    return Duration.ofMillis(
        ConfigChecks.inRange(REDIS_TIMEOUT, redisTimeoutMillis, 1, MAX_TAKE_WAIT_MILLIS));
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

  /** The most calls a worker takes at once while its calls run short; 1 to take one at a time. */
  public int callsPerTake() {
    return (int) ConfigChecks.inRange(CALLS_PER_TAKE, callsPerTake, 1, MAX_CALLS_PER_TAKE);
  }

  /**
   * The broker's pooled Redis connections; by default one per worker plus a few spare. Must exceed
   * the worker count: a worker blocked in a take holds a pooled connection, and storing results
   * (and the heartbeat) needs free ones.
   */
  public int redisPoolSize() {
    int min = workers() + 1;
    int size = redisPoolSize.orElse(min + 3);
    return (int) ConfigChecks.inRange(REDIS_POOL_SIZE, size, min, Integer.MAX_VALUE);
  }

  /**
   * How long a stopping process lets the calls in flight finish (it takes no new ones meanwhile)
   * before it interrupts their functions.
   */
  public Duration shutdownWait() {
    return Duration.ofMillis(
        ConfigChecks.inRange(SHUTDOWN_WAIT, shutdownWaitMillis, 0, MAX_SHUTDOWN_WAIT_MILLIS));
  }

  /**
   * How often the callees mark their URIs live in the broker, for server nodes' URI allow-list and
   * {@code juggler.uris}; {@link Duration#ZERO} when heartbeats are off.
   */
  public Duration heartbeatInterval() {
    if (heartbeatIntervalMillis == 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(
        ConfigChecks.inRange(
            HEARTBEAT_INTERVAL,
            heartbeatIntervalMillis,
            MIN_HEARTBEAT_MILLIS,
            MAX_TAKE_WAIT_MILLIS));
  }

  /** How long one heartbeat keeps the URIs live: {@link #HEARTBEAT_TTL_INTERVALS} intervals. */
  public Duration heartbeatTtl() {
    return heartbeatInterval().multipliedBy(HEARTBEAT_TTL_INTERVALS);
  }

  /**
   * Checks every setting.
   *
   * @throws IllegalStateException naming the first invalid property
   */
  public void validate() {
    brokerTarget();
    redisTimeout();
    workers();
    uris();
    takeWait();
    callsPerTake();
    redisPoolSize();
    shutdownWait();
    heartbeatInterval();
  }
}
