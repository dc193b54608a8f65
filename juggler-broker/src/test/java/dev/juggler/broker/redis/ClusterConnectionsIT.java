package dev.juggler.broker.redis;

import static dev.juggler.broker.redis.Fixture.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Recorder;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.test.redis.RedisClusterExtension;
import dev.juggler.test.redis.TestRedis;
import dev.juggler.test.redis.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/** What only a cluster has: nodes, slots, a node going away. */
@ExtendWith(RedisClusterExtension.class)
class ClusterConnectionsIT {

  private static final Logger LOG = Logger.getLogger(ClusterConnectionsIT.class.getName());
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final TestRedisCluster cluster;
  private Fixture fixture;

  ClusterConnectionsIT(TestRedisCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void setUp() {
    fixture = new Fixture(Fixture.cluster(cluster));
  }

  @AfterEach
  void tearDown() {
    try {
      fixture.close();
    } finally {
      cluster.ensureHealthy(); // in case a test left a node stopped
    }
  }

  /** The index of the node owning {@code key}'s slot; the setup splits the slots in node order. */
  private static int owner(String key) {
    return JedisClusterCRC16.getSlot(key) * TestRedisCluster.SIZE / 16_384;
  }

  /** The index of the node a broker publishes through: the one owning the broker's own slot. */
  private static int publishesThrough(RedisBroker broker) {
    return owner("juggler:node:{" + broker.nodeId() + "}");
  }

  /** A broker whose only seed, and so whose pub-sub connection, is node {@code index}. */
  private RedisBroker brokerSeededWith(int index) {
    TestRedis node = cluster.nodes().get(index);
    return fixture.broker(
        fixture.config().withTarget(RedisTarget.Cluster.parse(node.host() + ":" + node.port())));
  }

  private int clientsOn(int index, String name) {
    TestRedis node = cluster.nodes().get(index);
    try (Jedis jedis = new Jedis(new HostAndPort(node.host(), node.port()))) {
      return Fixture.clients(jedis, name);
    }
  }

  @Test
  void eventsPublishedThroughOneNodeReachSubscribersOnAnother() throws Exception {
    String channel = "news.sports";
    RedisBroker publisher = fixture.broker();
    int other = (publishesThrough(publisher) + 1) % TestRedisCluster.SIZE;
    RedisBroker subscriberNode = brokerSeededWith(other);
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = subscriberNode.subscriber(events.events());
    subscriber.subscribe(channel, false);
    subscriber.subscribe("news.*", true);
    assertEquals(1, clientsOn(other, "juggler-pubsub"), "the subscriber listens on another node");

    UUID pubUuid = UUID.randomUUID();
    publisher.publish(channel, pubUuid, new RawJson(AbstractRedisRpcIT.TRICKY_ARGS));
    List<Evnt> got = List.of(events.next(), events.next());
    for (Evnt evnt : got) {
      assertEquals(pubUuid, evnt.forUuid());
      assertEquals(channel, evnt.channel());
      assertEquals(AbstractRedisRpcIT.TRICKY_ARGS, evnt.args().text());
    }
    assertTrue(
        got.stream().anyMatch(e -> "news.*".equals(e.pattern()))
            && got.stream().anyMatch(e -> e.pattern() == null),
        "one event per subscription: " + got);
  }

  @Test
  void thePubSubConnectionMovesToAnotherNodeWhenItsNodeDies() throws Exception {
    String channel = "alive.1";
    RedisBroker publisher = fixture.broker();
    int doomed = (publishesThrough(publisher) + 1) % TestRedisCluster.SIZE;
    RedisBroker subscriberNode = brokerSeededWith(doomed);
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = subscriberNode.subscriber(events.events());
    subscriber.subscribe(channel, false);
    subscriber.subscribe("alive.*", true);
    assertEquals(1, clientsOn(doomed, "juggler-pubsub"));

    cluster.nodes().get(doomed).stop();
    // The broker learnt the other nodes from its seed, and subscribes everything again there.
    Fixture.eventually(
        "re-subscribed on another node",
        () -> fixture.redisSubscribers(channel) == 1 && fixture.redisPatterns() == 1);
    publisher.publish(channel, UUID.randomUUID(), new RawJson("\"after\""));
    assertEquals("\"after\"", events.next().args().text());
    assertEquals("\"after\"", events.next().args().text());
  }

  @Test
  void connectionsStayBoundedPerNodeWhateverTheClientCount() throws Exception {
    int poolSize = 4;
    RedisBroker node = fixture.broker(fixture.config().withPoolSize(poolSize));
    RedisBroker callee = fixture.broker(fixture.config().withPoolSize(poolSize));
    Recorder<Evnt> events = Recorder.ofEvents();
    Recorder<Res> results = Recorder.ofResults();
    List<UUID> conns = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      UUID conn = UUID.randomUUID();
      conns.add(conn);
      node.results(conn, results.results());
      Subscriber subscriber = node.subscriber(events.events());
      subscriber.subscribe("channel-" + i, false);
      subscriber.subscribe("pattern-" + i + ".*", true);
    }
    for (int i = 0; i < 30; i++) {
      node.publish("channel-" + i, UUID.randomUUID(), new RawJson(Integer.toString(i)));
      node.call(call(conns.get(i), "f" + i, Integer.toString(i), LONG));
    }
    for (int i = 0; i < 30; i++) {
      events.next();
      IncomingCall c = callee.take(List.of("f" + i), WAIT);
      callee.result(c, c.args());
      results.next();
    }

    // Per broker: at most poolSize pooled connections per node, one results, one pub-sub.
    assertEquals(1, fixture.clients("juggler-results"));
    assertEquals(1, fixture.clients("juggler-pubsub"));
    String resultsKey = "juggler:results:{" + node.nodeId() + "}";
    assertEquals(1, clientsOn(owner(resultsKey), "juggler-results"), "results on their node");
    for (int i = 0; i < TestRedisCluster.SIZE; i++) {
      int pooled = clientsOn(i, "juggler");
      assertTrue(pooled <= 2 * poolSize, "node " + i + " has " + pooled + " pooled connections");
    }
  }

  @Test
  void aCalleeIdleOnTwoSlotsTakesACallForTheSecondQuickly() throws Exception {
    String first = "latency.a";
    String second = "latency.b";
    assertNotEquals(
        JedisClusterCRC16.getSlot("juggler:calls:{" + first + "}"),
        JedisClusterCRC16.getSlot("juggler:calls:{" + second + "}"));
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    callee.take(List.of(first, second), Duration.ZERO); // connect and load scripts
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      java.util.concurrent.CompletableFuture<Long> taken =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  IncomingCall c = callee.take(List.of(first, second), WAIT);
                  return c == null ? -1L : System.nanoTime();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(20 + (i * 7) % 60); // the callee is idle, blocked on one slot or the other
      long sent = System.nanoTime();
      node.call(call(UUID.randomUUID(), second, "1", LONG));
      long at = taken.get(10, TimeUnit.SECONDS);
      assertTrue(at > 0, "taken");
      micros.add(TimeUnit.NANOSECONDS.toMicros(at - sent));
    }
    Collections.sort(micros);
    long median = micros.get(micros.size() / 2);
    long p90 = micros.get(micros.size() * 9 / 10);
    long max = micros.get(micros.size() - 1);
    String summary =
        "call to the second of two URIs in different slots, idle callee: median "
            + median / 1000.0
            + " ms, p90 "
            + p90 / 1000.0
            + " ms, max "
            + max / 1000.0
            + " ms over "
            + micros.size();
    LOG.info(summary);
    System.out.println(summary);
    assertNotNull(summary);
    assertTrue(max < TimeUnit.MILLISECONDS.toMicros(500), summary);
  }
}
