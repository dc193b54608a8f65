package dev.juggler.broker.redis.internal;

import dev.juggler.broker.redis.RedisTarget;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Connections to the nodes of a Redis Cluster, through the Jedis cluster client's connection
 * provider: its map of slots to nodes, and one pool of at most {@code poolSize} per node.
 * Thread-safe.
 *
 * <p>Each command runs on a connection to the node owning its key's slot. MOVED (the slot map is
 * stale) and ASK (the slot is migrating) are followed here rather than by {@code JedisCluster},
 * which would also send a command again after a broken connection and so could queue a call twice.
 * Both redirections are answered before the command runs, so following them is safe.
 *
 * <p>The provider is made on first use, since it reads the slot map from a seed node at once.
 */
final class ClusterConnections extends Connections {

  private static final Logger LOG = Logger.getLogger(ClusterConnections.class.getName());

  private static final int MAX_REDIRECTS = 5;

  private final RedisTarget.Cluster target;
  private final Set<HostAndPort> seeds = new LinkedHashSet<>();
  private final GenericObjectPoolConfig<Connection> poolConfig;

  /** Set when the slot map may be stale: renewed before the next use. */
  private final AtomicBoolean stale = new AtomicBoolean();

  private ClusterConnectionProvider provider; // guarded by this
  private boolean closed; // guarded by this

  ClusterConnections(
      RedisTarget.Cluster target, int poolSize, Duration timeout, ThreadFactory threads) {
    super(timeout, threads);
    this.target = target;
    for (InetSocketAddress seed : target.seeds()) {
      seeds.add(new HostAndPort(seed.getHostString(), seed.getPort()));
    }
    this.poolConfig = poolConfig(poolSize, timeout);
  }

  private JedisClientConfig clientConfig(String name) {
    return DefaultJedisClientConfig.builder()
        // RESP2, as on a single server (see StandaloneConnections).
        .protocol(RedisProtocol.RESP2)
        .connectionTimeoutMillis(timeoutMs())
        .socketTimeoutMillis(timeoutMs())
        .user(target.user())
        .password(target.password())
        .clientName(name)
        .build();
  }

  /** The provider, made on first use, with its slot map renewed when it may be stale. */
  private ClusterConnectionProvider provider() {
    ClusterConnectionProvider p;
    synchronized (this) {
      if (closed) {
        throw new JedisClusterOperationException("closed");
      }
      if (provider == null) {
        provider = new ClusterConnectionProvider(seeds, clientConfig("juggler"), poolConfig);
        stale.set(false);
      }
      p = provider;
    }
    if (stale.compareAndSet(true, false)) {
      try {
        p.renewSlotCache();
      } catch (RuntimeException e) {
        stale.set(true);
        throw e;
      }
    }
    return p;
  }

  @Override
  <T> T execute(String key, Command<T> command) {
    ClusterConnectionProvider p = provider();
    HostAndPort asked = null;
    for (int redirects = 0; ; redirects++) {
      Connection connection =
          asked == null ? p.getConnectionFromSlot(slot(key)) : p.getConnection(asked);
      // Closing the Jedis returns the connection to its node's pool.
      try (Jedis jedis = new Jedis(connection)) {
        if (asked != null) {
          jedis.asking();
        }
        return command.run(jedis);
      } catch (JedisMovedDataException e) {
        if (redirects >= MAX_REDIRECTS) {
          throw e;
        }
        p.renewSlotCache();
        asked = null;
      } catch (JedisAskDataException e) {
        if (redirects >= MAX_REDIRECTS) {
          throw e;
        }
        asked = e.getTargetNode();
      }
    }
  }

  /** The node owning the key's slot in the slot map; {@code "cluster"} while none is known. */
  @Override
  Object server(String key) {
    HostAndPort node = provider().getNode(slot(key));
    return node == null ? "cluster" : node;
  }

  @Override
  public List<List<String>> colocated(List<String> keys) {
    Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
    for (String key : keys) {
      bySlot.computeIfAbsent(slot(key), s -> new ArrayList<>()).add(key);
    }
    return List.copyOf(bySlot.values());
  }

  /**
   * With a key, a connection to the node owning its slot; without, to a seed node chosen at random
   * (so that brokers spread over the seeds), then to any other known node, until one answers.
   */
  @Override
  public Jedis dedicated(String name, String key) {
    ClusterConnectionProvider p = provider();
    JedisClientConfig config = clientConfig(name);
    if (key != null) {
      HostAndPort node = p.getNode(slot(key));
      if (node == null) {
        stale.set(true);
        throw new JedisClusterOperationException("no node serves slot " + slot(key));
      }
      return connect(node, config);
    }
    RuntimeException last = null;
    for (HostAndPort node : candidates(p)) {
      try {
        return connect(node, config);
      } catch (JedisConnectionException e) {
        stale.set(true);
        last = e;
      }
    }
    throw last != null ? last : new JedisClusterOperationException("no cluster node known");
  }

  private List<HostAndPort> candidates(ClusterConnectionProvider p) {
    List<HostAndPort> first = new ArrayList<>(seeds);
    Collections.shuffle(first);
    List<HostAndPort> others = new ArrayList<>();
    for (String node : p.getNodes().keySet()) {
      HostAndPort address = HostAndPort.from(node);
      if (!seeds.contains(address)) {
        others.add(address);
      }
    }
    Collections.shuffle(others);
    first.addAll(others);
    return first;
  }

  @Override
  public void connectionLost(Exception cause) {
    LOG.log(
        Level.FINE, "Redis Cluster connection lost or redirected; renewing the slot map", cause);
    stale.set(true);
    ClusterConnectionProvider p;
    synchronized (this) {
      p = provider;
    }
    if (p != null) {
      // As on a single server: idle connections to a node that restarted are dead too.
      for (ConnectionPool pool : p.getNodes().values()) {
        try {
          pool.clear();
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "clearing a node's pool failed", e);
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    stopProbes();
    closed = true;
    if (provider != null) {
      provider.close();
    }
  }

  private static int slot(String key) {
    return JedisClusterCRC16.getSlot(key);
  }
}
