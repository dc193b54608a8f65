package dev.juggler.web.config;

import dev.juggler.broker.config.BrokerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The server's settings, with their defaults; every key can be set by any MicroProfile Config
 * source, among them system properties and environment variables ({@code juggler.server.read-limit}
 * → {@code JUGGLER_SERVER_READ_LIMIT}). The defaults are in the annotations rather than in a {@code
 * microprofile-config.properties}: inside an EAR, Liberty checks the configuration with a class
 * loader that does not see into the WAR.
 */
@ApplicationScoped
public class ServerConfig {

  // No defaults here: BrokerSettings resolves the fallbacks between these four.
  @Inject
  @ConfigProperty(name = BrokerSettings.URL)
  Optional<String> redisUrl;

  @Inject
  @ConfigProperty(name = BrokerSettings.CALLER_URL)
  Optional<String> callerRedisUrl;

  @Inject
  @ConfigProperty(name = BrokerSettings.PUBSUB_URL)
  Optional<String> pubsubRedisUrl;

  @Inject
  @ConfigProperty(name = BrokerSettings.CLUSTER_NODES)
  Optional<String> clusterNodes;

  private volatile BrokerSettings brokers;

  @Inject
  @ConfigProperty(name = "juggler.redis.pool-size", defaultValue = "16")
  int redisPoolSize;

  @Inject
  @ConfigProperty(name = "juggler.redis.timeout", defaultValue = "2000")
  long redisTimeoutMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.read-limit", defaultValue = "65536")
  int readLimit;

  @Inject
  @ConfigProperty(name = "juggler.server.read-timeout", defaultValue = "90000")
  long readTimeoutMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.ping-interval", defaultValue = "20000")
  long pingIntervalMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.pong-timeout", defaultValue = "10000")
  long pongTimeoutMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.close-timeout", defaultValue = "5000")
  long closeTimeoutMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.fd-reserve", defaultValue = "10%")
  String fdReserve;

  @Inject
  @ConfigProperty(name = "juggler.server.write-limit", defaultValue = "1048576")
  int writeLimit;

  @Inject
  @ConfigProperty(name = "juggler.server.write-timeout", defaultValue = "10000")
  long writeTimeoutMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.write-queue-timeout", defaultValue = "10000")
  long writeQueueTimeoutMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.write-queue-capacity", defaultValue = "1024")
  int writeQueueCapacity;

  @Inject
  @ConfigProperty(name = "juggler.server.write-queue-bytes", defaultValue = "1048576")
  long writeQueueBytes;

  @Inject
  @ConfigProperty(name = "juggler.server.writer-threads", defaultValue = "0")
  int writerThreads;

  @Inject
  @ConfigProperty(name = "juggler.server.publish-backlog", defaultValue = "4096")
  long publishBacklog;

  @Inject
  @ConfigProperty(name = "juggler.server.publish-backlog-wait", defaultValue = "1000")
  long publishBacklogWaitMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.rate-limit", defaultValue = "0")
  double rateLimit;

  @Inject
  @ConfigProperty(name = "juggler.server.rate-burst", defaultValue = "0")
  double rateBurst;

  @Inject
  @ConfigProperty(name = "juggler.server.subscription-limit", defaultValue = "100")
  int subscriptionLimit;

  @Inject
  @ConfigProperty(name = "juggler.server.uri-allow-list", defaultValue = "false")
  boolean uriAllowList;

  @Inject
  @ConfigProperty(name = "juggler.server.slow-threshold", defaultValue = "100")
  long slowThresholdMillis;

  @Inject
  @ConfigProperty(name = "juggler.server.log-payloads", defaultValue = "false")
  boolean logPayloads;

  @Inject
  @ConfigProperty(name = "juggler.server.shutdown-wait", defaultValue = "2000")
  long shutdownWaitMillis;

  @Inject
  @ConfigProperty(name = "juggler.call.default-timeout", defaultValue = "60000")
  long callDefaultTimeoutMillis;

  @Inject
  @ConfigProperty(name = "juggler.call.capacity", defaultValue = "0")
  int callCapacity;

  @Inject
  @ConfigProperty(name = "juggler.result.capacity", defaultValue = "0")
  int resultCapacity;

  /** Checks every value; the message names the property at fault. */
  public void validate() {
    positive("juggler.redis.pool-size", redisPoolSize);
    positive("juggler.redis.timeout", redisTimeoutMillis);
    positive("juggler.server.read-limit", readLimit);
    notNegative("juggler.server.read-timeout", readTimeoutMillis);
    notNegative("juggler.server.ping-interval", pingIntervalMillis);
    positive("juggler.server.pong-timeout", pongTimeoutMillis);
    positive("juggler.server.close-timeout", closeTimeoutMillis);
    fdReserve(1024);
    notNegative("juggler.server.write-limit", writeLimit);
    notNegative("juggler.server.write-timeout", writeTimeoutMillis);
    notNegative("juggler.server.write-queue-timeout", writeQueueTimeoutMillis);
    positive("juggler.server.write-queue-capacity", writeQueueCapacity);
    notNegative("juggler.server.write-queue-bytes", writeQueueBytes);
    notNegative("juggler.server.writer-threads", writerThreads);
    notNegative("juggler.server.publish-backlog", publishBacklog);
    notNegative("juggler.server.publish-backlog-wait", publishBacklogWaitMillis);
    if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
      throw new IllegalArgumentException(
          "juggler.server.rate-limit must be a number of requests a second >= 0, not " + rateLimit);
    }
    if (!(rateBurst >= 0) || Double.isInfinite(rateBurst)) {
      throw new IllegalArgumentException(
          "juggler.server.rate-burst must be a number >= 0, not " + rateBurst);
    }
    positive("juggler.server.subscription-limit", subscriptionLimit);
    notNegative("juggler.server.slow-threshold", slowThresholdMillis);
    notNegative("juggler.server.shutdown-wait", shutdownWaitMillis);
    positive("juggler.call.default-timeout", callDefaultTimeoutMillis);
    notNegative("juggler.call.capacity", callCapacity);
    notNegative("juggler.result.capacity", resultCapacity);
    brokers();
  }

  private static void positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be greater than 0, not " + value);
    }
  }

  private static void notNegative(String key, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(key + " must not be negative, not " + value);
    }
  }

  /** The settings, for the startup log; the Redis password is masked. */
  @Override
  public String toString() {
    BrokerSettings b = brokers();
    return (b.shared()
            ? "calls and pub-sub: " + b.caller()
            : "calls: " + b.caller() + ", pub-sub: " + b.pubsub())
        + ", juggler.redis.pool-size="
        + redisPoolSize
        + ", juggler.redis.timeout="
        + redisTimeoutMillis
        + ", juggler.server.read-limit="
        + readLimit
        + ", juggler.server.read-timeout="
        + readTimeoutMillis
        + ", juggler.server.ping-interval="
        + pingIntervalMillis
        + ", juggler.server.pong-timeout="
        + pongTimeoutMillis
        + ", juggler.server.close-timeout="
        + closeTimeoutMillis
        + ", juggler.server.fd-reserve="
        + fdReserve
        + ", juggler.server.write-limit="
        + writeLimit
        + ", juggler.server.write-timeout="
        + writeTimeoutMillis
        + ", juggler.server.write-queue-timeout="
        + writeQueueTimeoutMillis
        + ", juggler.server.write-queue-capacity="
        + writeQueueCapacity
        + ", juggler.server.write-queue-bytes="
        + writeQueueBytes
        + ", juggler.server.writer-threads="
        + writerThreads
        + ", juggler.server.publish-backlog="
        + publishBacklog
        + ", juggler.server.publish-backlog-wait="
        + publishBacklogWaitMillis
        + ", juggler.server.rate-limit="
        + rateLimit
        + ", juggler.server.rate-burst="
        + rateBurst
        + ", juggler.server.subscription-limit="
        + subscriptionLimit
        + ", juggler.server.uri-allow-list="
        + uriAllowList
        + ", juggler.server.slow-threshold="
        + slowThresholdMillis
        + ", juggler.server.log-payloads="
        + logPayloads
        + ", juggler.server.shutdown-wait="
        + shutdownWaitMillis
        + ", juggler.call.default-timeout="
        + callDefaultTimeoutMillis
        + ", juggler.call.capacity="
        + callCapacity
        + ", juggler.result.capacity="
        + resultCapacity;
  }

  /**
   * Where calls and pub-sub go, resolved once.
   *
   * @throws IllegalArgumentException naming the properties when they do not make sense together
   */
  public BrokerSettings brokers() {
    BrokerSettings b = brokers;
    if (b == null) {
      b = BrokerSettings.resolve(redisUrl, callerRedisUrl, pubsubRedisUrl, clusterNodes);
      brokers = b;
    }
    return b;
  }

  public int redisPoolSize() {
    return redisPoolSize;
  }

  /**
   * Connect and command timeout of Redis: a request that cannot reach Redis is answered with NACK
   * 503 within about this time.
   */
  public Duration redisTimeout() {
    return Duration.ofMillis(redisTimeoutMillis);
  }

  /** Largest frame read, in bytes; a larger one closes the connection with 1009. */
  public int readLimit() {
    return readLimit;
  }

  /**
   * How long a connection may send nothing at all (no message, no pong); zero for no limit. With
   * pings on, a live client answers well within it.
   */
  public Duration readTimeout() {
    return Duration.ofMillis(readTimeoutMillis);
  }

  /**
   * How long a connection may be silent before the server pings it (dead-peer detection); zero
   * turns pings off.
   */
  public Duration pingInterval() {
    return Duration.ofMillis(pingIntervalMillis);
  }

  /** How long a ping may go unanswered (nothing read since) before its connection is closed. */
  public Duration pongTimeout() {
    return Duration.ofMillis(pongTimeoutMillis);
  }

  /**
   * How long the server waits, once it has closed a connection, for the container to report the
   * close; past it the server aborts the connection and releases it itself.
   */
  public Duration closeTimeout() {
    return Duration.ofMillis(closeTimeoutMillis);
  }

  /**
   * How many of the process's {@code maxFiles} file descriptors new connections may not use: a
   * number, or a percentage of the limit ({@code 10%}, the default), at least 64 either way.
   *
   * @throws IllegalArgumentException naming the property when the value is neither
   */
  public long fdReserve(long maxFiles) {
    String v = fdReserve.trim();
    long reserve;
    try {
      if (v.endsWith("%")) {
        double percent = Double.parseDouble(v.substring(0, v.length() - 1).trim());
        if (!(percent >= 0 && percent <= 100)) {
          throw new NumberFormatException();
        }
        reserve = (long) Math.ceil(maxFiles * percent / 100);
      } else {
        reserve = Long.parseLong(v);
        if (reserve < 0) {
          throw new NumberFormatException();
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "juggler.server.fd-reserve must be a number of file descriptors or a percentage such as"
              + " 10%, not "
              + fdReserve);
    }
    return Math.max(64, reserve);
  }

  /** Largest frame written, in bytes; zero for no limit. */
  public int writeLimit() {
    return writeLimit;
  }

  /** How long one frame may take to be sent; zero for no limit. */
  public Duration writeTimeout() {
    return Duration.ofMillis(writeTimeoutMillis);
  }

  /** How long a frame may wait for the connection's writer; zero for no limit. */
  public Duration writeQueueTimeout() {
    return Duration.ofMillis(writeQueueTimeoutMillis);
  }

  /**
   * Frames queued on this node, for all connections, above which PUBs wait before they are
   * published; zero turns this flow control off.
   */
  public long publishBacklog() {
    return publishBacklog;
  }

  /** Requests a second each connection may send; zero for no limit. */
  public double rateLimit() {
    return rateLimit;
  }

  /** Requests a connection may send at once above the rate: the bucket's size, at least 1. */
  public double rateBurst() {
    return Math.max(1, rateBurst > 0 ? rateBurst : rateLimit);
  }

  /**
   * Distinct subscriptions (channels and patterns) a connection may hold; a SUB past them gets NACK
   * 429.
   */
  public int subscriptionLimit() {
    return subscriptionLimit;
  }

  /**
   * Whether a CALL to a URI that no live callee serves gets NACK 404 at once, rather than waiting
   * in the broker for its timeout.
   */
  public boolean uriAllowList() {
    return uriAllowList;
  }

  /** The longest a PUB waits for the backlog to drain; it is published then all the same. */
  public Duration publishBacklogWait() {
    return Duration.ofMillis(publishBacklogWaitMillis);
  }

  /**
   * Bytes (characters of the encoded frames) that may wait for the connection's writer; zero for no
   * limit. One frame is always accepted into an empty queue.
   */
  public long writeQueueBytes() {
    return writeQueueBytes;
  }

  /**
   * Threads that write frames to clients while none is blocked by a client that does not read; 0
   * (the default) means twice the processors the JVM has.
   */
  public int writerThreads() {
    return writerThreads > 0 ? writerThreads : 2 * Runtime.getRuntime().availableProcessors();
  }

  /** Frames that may wait for the connection's writer. */
  public int writeQueueCapacity() {
    return writeQueueCapacity;
  }

  /** Handling a message for longer than this counts as slow processing. */
  public Duration slowThreshold() {
    return Duration.ofMillis(slowThresholdMillis);
  }

  /** Whether the logging handler writes payloads (arguments and results) too. */
  public boolean logPayloads() {
    return logPayloads;
  }

  /**
   * How long a stopping node waits for its clients to answer the close frames (1001) it sent them
   * before it goes on stopping.
   */
  public Duration shutdownWait() {
    return Duration.ofMillis(shutdownWaitMillis);
  }

  /** The timeout of a CALL that gives none. */
  public Duration callDefaultTimeout() {
    return Duration.ofMillis(callDefaultTimeoutMillis);
  }

  /** Calls that may wait per URI; zero for no limit. */
  public int callCapacity() {
    return callCapacity;
  }

  /** Results that may wait per connection; zero for no limit. */
  public int resultCapacity() {
    return resultCapacity;
  }
}
