package dev.juggler.broker.redis.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.util.JedisURIHelper;

/** Connections to one Redis server: one pool, keys ignored. Thread-safe. */
final class StandaloneConnections extends Connections {

  private static final Logger LOG = Logger.getLogger(StandaloneConnections.class.getName());

  private final URI url;
  private final HostAndPort address;
  private final RedisClient client;

  StandaloneConnections(URI url, int poolSize, Duration timeout, ThreadFactory threads) {
    super(timeout, threads);
    if (!JedisURIHelper.isValid(url)) {
      throw new IllegalArgumentException("not a Redis URL: " + url);
    }
    this.url = url;
    this.address = JedisURIHelper.getHostAndPort(url);
    // Only the client's pool is used. It connects on first use: with the protocol given, building
    // the client does not open a connection to learn it.
    this.client =
        RedisClient.builder()
            .hostAndPort(address)
            .clientConfig(clientConfig("juggler"))
            .poolConfig(poolConfig(poolSize, timeout))
            .build();
  }

  /** Connection settings; {@code name} tells the connection's role in {@code CLIENT LIST}. */
  private JedisClientConfig clientConfig(String name) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            // RESP2, which the commands and scripts here expect; left open, Jedis would try
            // RESP3 first (HELLO 3).
            .protocol(RedisProtocol.RESP2)
            .connectionTimeoutMillis(timeoutMs())
            .socketTimeoutMillis(timeoutMs())
            .user(JedisURIHelper.getUser(url))
            .password(JedisURIHelper.getPassword(url))
            .database(JedisURIHelper.getDBIndex(url))
            .clientName(name);
    if (JedisURIHelper.isRedisSSLScheme(url)) {
      tls(config);
    }
    return config.build();
  }

  /**
   * TLS for {@code rediss://}, checked as before Jedis 8: the server's certificate must be signed
   * by a CA that the JVM's default SSL context trusts, and its host name is not checked.
   *
   * <p>Jedis 8 deprecates these settings in favour of {@code SslOptions}, which makes an SSL
   * context of its own instead of using the JVM default one, so it would lose what that one is
   * given (its key store and trust store, from {@code javax.net.ssl.*} or from the application
   * server). And {@code ssl(true)} alone now checks the host name too (HTTPS endpoint
   * identification) when no {@code SSLParameters} are given: empty ones leave the socket's
   * defaults, without that check.
   */
  @SuppressWarnings("deprecation")
  private static void tls(DefaultJedisClientConfig.Builder config) {
    config.ssl(true).sslParameters(new SSLParameters());
  }

  @Override
  <T> T execute(String key, Command<T> command) {
    // Closing the Jedis returns the connection to the pool.
    try (Jedis jedis = new Jedis(client.getPool().getResource())) {
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
      client.getPool().clear();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "clearing the pool failed", e);
    }
  }

  @Override
  public void close() {
    stopProbes();
    client.close();
  }
}
