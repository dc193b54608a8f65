package dev.juggler.core.broker.redis.internal;

import dev.juggler.core.broker.BrokerException;
import dev.juggler.core.broker.redis.RedisTarget;
import dev.juggler.core.message.NackCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * The broker's Redis connections: pooled ones for commands, and dedicated ones for the background
 * loops, to one server or to the nodes of a cluster. Nothing connects before first use, so a broker
 * can be built while Redis is down. Thread-safe.
 *
 * <p>Every command names a key, and runs on a connection to the server that holds it. A command
 * that failed on a broken connection is never sent again: it may have run (calls and results are
 * delivered at most once).
 */
public abstract class Connections implements AutoCloseable {

  /** A unit of work on one connection, to the server holding the key it was given for. */
  @FunctionalInterface
  public interface Command<T> {
    T run(Jedis jedis);
  }

  private final int timeoutMs;

  Connections(Duration timeout) {
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
  }

  /** Connections to {@code target}, with at most {@code poolSize} pooled ones per server. */
  public static Connections create(RedisTarget target, int poolSize, Duration timeout) {
    if (target instanceof RedisTarget.Cluster cluster) {
      return new ClusterConnections(cluster, poolSize, timeout);
    }
    return new StandaloneConnections(((RedisTarget.Standalone) target).url(), poolSize, timeout);
  }

  /** The command timeout in milliseconds. */
  public final int timeoutMs() {
    return timeoutMs;
  }

  /**
   * Runs {@code command} on a pooled connection to the server holding {@code key}.
   *
   * @throws BrokerException 503 when Redis cannot be reached or answers too late, 500 when it
   *     rejects the command
   */
  public final <T> T run(String key, Command<T> command) throws BrokerException {
    try {
      return execute(key, command);
    } catch (JedisBusyException | JedisRedirectionException e) {
      throw BrokerException.unavailable(e);
    } catch (JedisDataException e) {
      if (isTransient(e)) {
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

  /** Errors of a server that is starting, or of a cluster that is changing or partly down. */
  private static boolean isTransient(JedisDataException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith("LOADING")
        || message.startsWith("CLUSTERDOWN")
        || message.startsWith("TRYAGAIN")
        || message.startsWith("MASTERDOWN");
  }

  /** Runs {@code command} on the server holding {@code key}; Jedis exceptions pass through. */
  abstract <T> T execute(String key, Command<T> command);

  /**
   * {@code keys} in groups that one command may use together (a multi-key BLPOP), keeping their
   * order: one group on a single server, one per hash slot on a cluster.
   */
  public abstract List<List<String>> colocated(List<String> keys);

  /**
   * A new connection of its own, for a background loop; the caller closes it. Connects now.
   *
   * @param name the client name Redis shows for it
   * @param key the key it works on, so that it goes to the server holding that key; {@code null}
   *     for any server (pub-sub)
   * @throws JedisException when Redis cannot be reached
   */
  public abstract Jedis dedicated(String name, String key);

  /**
   * A connection failed, or a server said a key lives elsewhere: what is known about the servers
   * (idle pooled connections, the cluster's slot map) is probably stale, so renew it before the
   * next command.
   */
  public abstract void connectionLost(Exception cause);

  /** Closes the pools; connections in use close when returned. Idempotent. */
  @Override
  public abstract void close();

  /**
   * BLPOP with a socket timeout bounded by the wait plus the command timeout. Jedis reads blocking
   * commands with no timeout at all, which would hang on a silently dead connection.
   *
   * @param waitMs how long Redis may block, at least 1
   * @param keys keys of one group of {@link #colocated}
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

  /** A connection of its own to {@code address}, connected and authenticated now. */
  static Jedis connect(HostAndPort address, JedisClientConfig config) {
    Jedis jedis = new Jedis(address, config);
    try {
      jedis.ping(); // so that failures surface here
      return jedis;
    } catch (RuntimeException e) {
      jedis.close();
      throw e;
    }
  }

  /** The pool settings shared by both kinds: bounded, no evictor thread, no JMX. */
  static <T> GenericObjectPoolConfig<T> poolConfig(int size, Duration timeout) {
    GenericObjectPoolConfig<T> config = new GenericObjectPoolConfig<>();
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
}
