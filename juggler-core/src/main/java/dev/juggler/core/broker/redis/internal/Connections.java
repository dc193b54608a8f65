package dev.juggler.core.broker.redis.internal;

import dev.juggler.core.broker.BrokerException;
import dev.juggler.core.message.NackCode;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The broker's Redis connections: a pool for commands, and dedicated connections for the background
 * loops. Nothing connects before first use, so a broker can be built while Redis is down.
 * Thread-safe.
 */
public final class Connections implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Connections.class.getName());

  /** A unit of work on one pooled connection. */
  @FunctionalInterface
  public interface Command<T> {
    T run(Jedis jedis);
  }

  private final URI url;
  private final HostAndPort address;
  private final JedisPool pool;
  private final int timeoutMs;

  public Connections(URI url, int poolSize, Duration timeout) {
    if (!JedisURIHelper.isValid(url)) {
      throw new IllegalArgumentException("not a Redis URL: " + url);
    }
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    this.url = url;
    this.address = JedisURIHelper.getHostAndPort(url);
    this.pool = new JedisPool(poolConfig(poolSize, timeout), address, clientConfig("juggler"));
  }

  /** Connection settings; {@code name} tells the connection's role in {@code CLIENT LIST}. */
  private JedisClientConfig clientConfig(String name) {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMs)
        .socketTimeoutMillis(timeoutMs)
        .user(JedisURIHelper.getUser(url))
        .password(JedisURIHelper.getPassword(url))
        .database(JedisURIHelper.getDBIndex(url))
        .ssl(JedisURIHelper.isRedisSSLScheme(url))
        .clientName(name)
        .build();
  }

  private static GenericObjectPoolConfig<Jedis> poolConfig(int size, Duration timeout) {
    GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(size);
    config.setMaxIdle(size);
    config.setMinIdle(0);
    // Waiting for a free connection counts against the same bound as a command.
    config.setBlockWhenExhausted(true);
    config.setMaxWait(timeout);
    // No evictor: it would run on a thread of the pool's own, outside the container's control.
    config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
    config.setTestOnBorrow(false);
    config.setTestWhileIdle(false);
    config.setJmxEnabled(false);
    return config;
  }

  /** The command timeout in milliseconds. */
  public int timeoutMs() {
    return timeoutMs;
  }

  /**
   * Runs {@code command} on a pooled connection.
   *
   * @throws BrokerException 503 when Redis cannot be reached or answers too late, 500 when it
   *     rejects the command
   */
  public <T> T run(Command<T> command) throws BrokerException {
    try (Jedis jedis = pool.getResource()) {
      return command.run(jedis);
    } catch (JedisBusyException e) {
      throw BrokerException.unavailable(e);
    } catch (JedisDataException e) {
      if (String.valueOf(e.getMessage()).startsWith("LOADING")) {
        throw BrokerException.unavailable(e);
      }
      throw new BrokerException(NackCode.INTERNAL, "Redis error: " + e.getMessage(), e);
    } catch (JedisConnectionException e) {
      connectionLost(e);
      throw BrokerException.unavailable(e);
    } catch (JedisException e) {
      throw BrokerException.unavailable(e);
    }
  }

  /**
   * A new connection of its own, for a background loop; the caller closes it. Connects now.
   *
   * @param name the client name Redis shows for it
   * @throws JedisConnectionException when Redis cannot be reached
   */
  public Jedis dedicated(String name) {
    Jedis jedis = new Jedis(address, clientConfig(name));
    try {
      jedis.ping(); // connect and authenticate now, so that failures surface here
      return jedis;
    } catch (RuntimeException e) {
      jedis.close();
      throw e;
    }
  }

  /**
   * A connection failed: idle pooled connections were opened before the failure and are probably
   * dead too (a Redis restart closes them all), so drop them rather than fail the next commands.
   */
  public void connectionLost(Exception cause) {
    LOG.log(Level.FINE, "Redis connection lost; clearing idle pooled connections", cause);
    try {
      pool.clear();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "clearing the pool failed", e);
    }
  }

  /**
   * BLPOP with a socket timeout bounded by the wait plus the command timeout. Jedis reads blocking
   * commands with no timeout at all, which would hang on a silently dead connection.
   *
   * @param waitMs how long Redis may block, at least 1
   * @return {@code [key, entry]}, or {@code null} when nothing came in time
   */
  public static List<String> blpop(Jedis jedis, long waitMs, String... keys) {
    Connection connection = jedis.getConnection();
    int socketTimeout = connection.getSoTimeout();
    String[] args = new String[keys.length + 1];
    System.arraycopy(keys, 0, args, 0, keys.length);
    // Redis takes fractional seconds; millisecond precision is its resolution.
    args[keys.length] = BigDecimal.valueOf(waitMs, 3).toPlainString();
    connection.setSoTimeout((int) Math.min(Integer.MAX_VALUE, waitMs + socketTimeout));
    try {
      connection.sendCommand(Protocol.Command.BLPOP, args);
      return connection.getMultiBulkReply();
    } finally {
      if (!connection.isBroken()) {
        connection.setSoTimeout(socketTimeout);
      }
    }
  }

  /** Closes the pool; connections in use close when returned. Idempotent. */
  @Override
  public void close() {
    pool.close();
  }
}
