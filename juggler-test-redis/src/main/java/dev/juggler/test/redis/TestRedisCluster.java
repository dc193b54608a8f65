package dev.juggler.test.redis;

import dev.juggler.test.redis.TestRedis.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A private Redis Cluster for tests: three masters (no replicas) on free loopback ports, the 16384
 * slots split evenly among them.
 *
 * <p>The nodes are {@code redis-server} processes, from the {@code PATH} or the embedded-redis 6.2
 * binary (a container does not fit: nodes announce their addresses to clients, which must reach
 * them). Each node is a {@link TestRedis} that can be stopped and started again on its port; it
 * keeps its cluster configuration file, so a restarted node rejoins with its slots (and no data).
 * The nodes do not require full slot coverage, so that the others go on serving while one is down.
 *
 * <p>Thread-safe. Start one with {@link #launch()}, or let {@link RedisClusterExtension} share one
 * across a test run. Never skips: when the cluster cannot be formed, {@link #launch()} throws.
 */
public final class TestRedisCluster implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TestRedisCluster.class.getName());

  /** Number of masters. */
  public static final int SIZE = 3;

  /** Before Redis 7 a node's cluster bus listens on its port plus this. */
  static final int BUS_OFFSET = 10_000;

  private final List<TestRedis> nodes;
  private boolean closed;

  private TestRedisCluster(List<TestRedis> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Starts a cluster from the executable that {@value TestRedis#MODE_PROPERTY} names ({@code
   * binary} or {@code embedded}; {@code auto} and {@code testcontainers} use the {@code PATH}'s,
   * else the embedded one) and returns once every node reports {@code cluster_state:ok}.
   *
   * @throws IllegalStateException when it could not be formed; the message says why
   */
  public static TestRedisCluster launch() {
    return launch(Mode.fromSystemProperty());
  }

  /** Like {@link #launch()}, with the way given instead of read from the system property. */
  public static TestRedisCluster launch(Mode mode) {
    return Launcher.firstThatStarts(
        "a private Redis Cluster",
        mode,
        ways(mode),
        way -> {
          TestRedisCluster cluster = launchWith(way);
          LOG.info(() -> "Private " + cluster);
          return cluster;
        });
  }

  private static List<Mode> ways(Mode mode) {
    return mode == Mode.BINARY || mode == Mode.EMBEDDED
        ? List.of(mode)
        : List.of(Mode.BINARY, Mode.EMBEDDED);
  }

  private static TestRedisCluster launchWith(Mode way) throws Exception {
    Path executable = Launcher.executable(way);
    List<TestRedis> started = new ArrayList<>();
    try {
      for (int i = 0; i < SIZE; i++) {
        started.add(startNode(way, executable));
      }
      TestRedisCluster cluster = new TestRedisCluster(started);
      ClusterSetup.form(started);
      return cluster;
    } catch (Exception e) {
      started.forEach(TestRedis::close);
      throw e;
    }
  }

  private static TestRedis startNode(Mode way, Path executable) throws Exception {
    // The port and its cluster bus port must both be free; a retry picks another pair.
    return Launcher.startRetrying(
        way,
        () -> {
          int port = FreePorts.pickWithCompanion(BUS_OFFSET);
          return ProcessBackend.create(
              executable,
              Launcher.label(way) + ", cluster node",
              port,
              List.of(
                  "--cluster-enabled",
                  "yes",
                  "--cluster-config-file",
                  "nodes-" + port + ".conf",
                  "--cluster-require-full-coverage",
                  "no"));
        });
  }

  /** The nodes, in a fixed order; each can be stopped and started for an outage. */
  public List<TestRedis> nodes() {
    return nodes;
  }

  /** The seed list clients take: {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}. */
  public String seedNodes() {
    return nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
  }

  /** The nodes' Redis version. */
  public String version() {
    return nodes.get(0).version();
  }

  /** Deletes every key on every running node. */
  public void flushAll() {
    for (TestRedis node : nodes) {
      if (node.isRunning()) {
        node.flushAll();
      }
    }
  }

  /**
   * Starts every stopped node and waits until the cluster is whole again: every node reports {@code
   * cluster_state:ok}, all slots assigned and all nodes known.
   *
   * @throws IllegalStateException when it does not become whole in time
   */
  public synchronized void ensureHealthy() {
    ensureOpen();
    nodes.forEach(TestRedis::start);
    try {
      ClusterSetup.awaitOk(nodes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the cluster", e);
    }
  }

  /** Stops every node for good and removes their files; closing twice is harmless. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      nodes.forEach(TestRedis::close);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this TestRedisCluster is closed");
    }
  }

  @Override
  public String toString() {
    return "TestRedisCluster["
        + seedNodes()
        + ", "
        + version()
        + ", "
        + nodes.get(0).describe()
        + "]";
  }
}
