package dev.juggler.broker.redis.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.util.JedisURIHelper;

/** Connections to one Redis server: one pool, keys ignored. Thread-safe. */
final class StandaloneConnections extends Connections {

  private static final Logger LOG = Logger.getLogger(StandaloneConnections.class.getName());

  private final URI url;
  private final HostAndPort address;
  private final JedisPool pool;

  StandaloneConnections(URI url, int poolSize, Duration timeout, ThreadFactory threads) {
    super(timeout, threads);
    if (!JedisURIHelper.isValid(url)) {
      throw new IllegalArgumentException("not a Redis URL: " + url);
    }
    this.url = url;
    this.address = JedisURIHelper.getHostAndPort(url);
    this.pool = new JedisPool(poolConfig(poolSize, timeout), address, clientConfig("juggler"));
  }

  /** Connection settings; {@code name} tells the connection's role in {@code CLIENT LIST}. */
  private JedisClientConfig clientConfig(String name) {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMs())
        .socketTimeoutMillis(timeoutMs())
        .user(JedisURIHelper.getUser(url))
        .password(JedisURIHelper.getPassword(url))
        .database(JedisURIHelper.getDBIndex(url))
        .ssl(JedisURIHelper.isRedisSSLScheme(url))
        .clientName(name)
        .build();
  }

  @Override
  <T> T execute(String key, Command<T> command) {
    try (Jedis jedis = pool.getResource()) {
      return command.run(jedis);
    }
  }

  @Override
  Object server(String key) {
    return address;
  }

  @Override
  public List<List<String>> colocated(List<String> keys) {
    return List.of(List.copyOf(keys));
  }

  @Override
  public Jedis dedicated(String name, String key) {
    return connect(address, clientConfig(name));
  }

  /**
   * Idle pooled connections were opened before the failure and are probably dead too (a Redis
   * restart closes them all), so drop them rather than fail the next commands.
   */
  @Override
  public void connectionLost(Exception cause) {
    LOG.log(Level.FINE, "Redis connection lost; clearing idle pooled connections", cause);
    try {
      pool.clear();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "clearing the pool failed", e);
    }
  }

  @Override
  public void close() {
    stopProbes();
    pool.close();
  }
}
