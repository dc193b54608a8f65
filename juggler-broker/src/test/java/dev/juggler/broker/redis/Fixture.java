package dev.juggler.broker.redis;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CallRequest;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.broker.Recorder;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.test.redis.TestRedis;
import dev.juggler.test.redis.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Shared helpers of the Redis broker tests: brokers that close, clients to look into Redis,
 * recorders, bounded waits; on one server or on a cluster.
 */
final class Fixture implements AutoCloseable {

  static final Duration TIMEOUT = Recorder.TIMEOUT;

  /**
   * What a busy host may add to a bound the broker promises (a refusal within its timeout), so that
   * a loaded machine does not fail a correct broker; settable with {@code -Djuggler.test.slack-ms}.
   */
  static final Duration SLACK = Duration.ofMillis(Long.getLong("juggler.test.slack-ms", 1_500));

  /** The Redis the brokers use: one server, or a cluster's nodes. */
  record Backend(RedisTarget target, List<HostAndPort> servers, Runnable flushAll) {
    boolean isCluster() {
      return target instanceof RedisTarget.Cluster;
    }
  }

  static Backend standalone(TestRedis redis) {
    return new Backend(
        new RedisTarget.Standalone(redis.uri()),
        List.of(new HostAndPort(redis.host(), redis.port())),
        redis::flushAll);
  }

  static Backend cluster(TestRedisCluster cluster) {
    List<HostAndPort> nodes = new ArrayList<>();
    cluster.nodes().forEach(n -> nodes.add(new HostAndPort(n.host(), n.port())));
    return new Backend(
        RedisTarget.Cluster.parse(cluster.seedNodes()), List.copyOf(nodes), cluster::flushAll);
  }

  private final Backend backend;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** Threads created by every broker of this fixture. */
  final AtomicInteger threadsCreated = new AtomicInteger();

  Fixture(TestRedis redis) {
    this(standalone(redis));
  }

  /** A fixture on {@code backend}, which it flushes. */
  Fixture(Backend backend) {
    this.backend = backend;
    backend.flushAll().run();
  }

  Backend backend() {
    return backend;
  }

  RedisBrokerConfig config() {
    ThreadFactory threads =
        r -> {
          threadsCreated.incrementAndGet();
          Thread t = new Thread(r);
          t.setDaemon(true);
          return t;
        };
    return RedisBrokerConfig.of(backend.target()).withThreadFactory(threads).withPoolSize(8);
  }

  RedisBroker broker() {
    return broker(config());
  }

  RedisBroker broker(RedisBrokerConfig config) {
    RedisBroker broker = new RedisBroker(config);
    toClose.add(broker);
    return broker;
  }

  /** A connection to the (first) server. */
  Jedis jedis() {
    return jedis(backend.servers().get(0));
  }

  Jedis jedis(HostAndPort server) {
    Jedis jedis = new Jedis(server);
    toClose.add(jedis);
    return jedis;
  }

  /**
   * A client for data commands, which it sends to the server holding their keys; on RESP2, as the
   * brokers.
   */
  UnifiedJedis redis() {
    JedisClientConfig config =
        DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2).build();
    UnifiedJedis client =
        backend.isCluster()
            ? RedisClusterClient.builder()
                .nodes(Set.copyOf(backend.servers()))
                .clientConfig(config)
                .build()
            : RedisClient.builder()
                .hostAndPort(backend.servers().get(0))
                .clientConfig(config)
                .build();
    toClose.add(client);
    return client;
  }

  /** Redis subscriptions to {@code channel} (a client channel), over all running servers. */
  long redisSubscribers(String channel) {
    String name = "juggler:ch:" + channel;
    long n = 0;
    for (HostAndPort server : backend.servers()) {
      try (Jedis jedis = new Jedis(server)) {
        n += jedis.pubsubNumSub(name).getOrDefault(name, 0L);
      } catch (JedisConnectionException e) {
        // a node stopped by the test has no subscribers
      }
    }
    return n;
  }

  /** Redis pattern subscriptions, over all servers. */
  long redisPatterns() {
    long n = 0;
    for (HostAndPort server : backend.servers()) {
      try (Jedis jedis = new Jedis(server)) {
        n += jedis.pubsubNumPat();
      } catch (JedisConnectionException e) {
        // a node stopped by the test has no subscribers
      }
    }
    return n;
  }

  /** Clients with that name in {@code CLIENT LIST}, over all servers. */
  int clients(String name) {
    int n = 0;
    for (HostAndPort server : backend.servers()) {
      try (Jedis jedis = new Jedis(server)) {
        n += clients(jedis, name);
      } catch (JedisConnectionException e) {
        // a node stopped by the test has no clients
      }
    }
    return n;
  }

  /** Closes every broker and connection made, in reverse order. */
  @Override
  public void close() {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close " + toClose.get(i), e);
      }
    }
  }

  static CallRequest call(UUID connUuid, String uri, String args, Duration timeout) {
    return new CallRequest(UUID.randomUUID(), connUuid, uri, new RawJson(args), timeout);
  }

  /** Counts clients with that name in {@code CLIENT LIST}. */
  static int clients(Jedis jedis, String name) {
    int n = 0;
    for (String line : jedis.clientList().split("\n")) {
      if (line.contains(" name=" + name + " ")) {
        n++;
      }
    }
    return n;
  }

  /** Waits, polling, until {@code condition} holds; fails after {@link #TIMEOUT}. */
  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out waiting until " + what);
      Thread.sleep(10);
    }
  }

  /** A report of {@code resultThenTake} that adds what it is told to {@code told}. */
  static CalleeBroker.ResultReport reportInto(List<Object> told) {
    return new CalleeBroker.ResultReport() {
      @Override
      public void stored(boolean stored) {
        told.add(stored);
      }

      @Override
      public void failed(Exception failure) {
        told.add(failure);
      }
    };
  }

  /**
   * Runs {@code request}, which must fail within {@code timeout} plus {@link #SLACK}, and returns
   * its failure.
   */
  static BrokerException refusedWithin(Duration timeout, Executable request) {
    long start = System.nanoTime();
    BrokerException e = assertThrows(BrokerException.class, request);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms < timeout.plus(SLACK).toMillis(), "took " + ms + " ms: " + e);
    return e;
  }
}
