package dev.juggler.broker.redis;

import static dev.juggler.broker.redis.Fixture.call;
import static dev.juggler.broker.redis.Fixture.clients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Recorder;
import dev.juggler.broker.Registration;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

@ExtendWith(RedisExtension.class)
class RedisConnectionsIT {

  private static final Duration LONG = Duration.ofSeconds(30);

  private final TestRedis redis;
  private Fixture fixture;
  private Jedis jedis;

  RedisConnectionsIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void setUp() {
    fixture = new Fixture(redis);
    jedis = fixture.jedis();
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  private int brokerConnections() {
    return clients(jedis, "juggler")
        + clients(jedis, "juggler-results")
        + clients(jedis, "juggler-pubsub");
  }

  @Test
  void connectionCountDoesNotGrowWithSubscribersAndRegistrations() throws Exception {
    RedisBroker broker = fixture.broker();
    UUID warmConn = UUID.randomUUID();
    Recorder<Res> warmResults = Recorder.ofResults();
    broker.results(warmConn, warmResults.results());
    broker.subscriber(evnt -> {}).subscribe("warm", false);
    broker.call(call(warmConn, "f", "0", LONG));
    IncomingCall warm = broker.take(List.of("f"), Duration.ofSeconds(5));
    broker.result(warm, warm.args());
    warmResults.next();
    int before = brokerConnections();
    assertEquals(1, clients(jedis, "juggler-results"));
    assertEquals(1, clients(jedis, "juggler-pubsub"));

    Recorder<Evnt> events = Recorder.ofEvents();
    Recorder<Res> results = Recorder.ofResults();
    List<UUID> conns = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Subscriber subscriber = broker.subscriber(events.events());
      subscriber.subscribe("channel-" + i, false);
      subscriber.subscribe("pattern-" + i + ".*", true);
      UUID conn = UUID.randomUUID();
      conns.add(conn);
      broker.results(conn, results.results());
    }
    broker.publish("channel-499", UUID.randomUUID(), new RawJson("1"));
    broker.publish("pattern-7.x", UUID.randomUUID(), new RawJson("2"));
    assertEquals("1", events.next().args().text());
    assertEquals("2", events.next().args().text());
    broker.call(call(conns.get(250), "f", "3", LONG));
    IncomingCall c = broker.take(List.of("f"), Duration.ofSeconds(5));
    broker.result(c, c.args());
    assertEquals("3", results.next().args().text());

    assertEquals(before, brokerConnections());
    assertTrue(before <= 3, "pool (1 used) + results + pub-sub, was " + before);
  }

  @Test
  void aCalleeOnlyBrokerStartsNoBackgroundThreadOrConnection() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    node.call(call(UUID.randomUUID(), "f", "1", LONG));
    IncomingCall c = callee.take(List.of("f"), Duration.ofSeconds(5));
    callee.result(c, c.args());
    node.publish("nobody-listens", UUID.randomUUID(), RawJson.NULL);
    callee.subscriber(evnt -> {}); // a subscriber that never subscribes starts nothing either

    assertEquals(0, fixture.threadsCreated.get());
    assertEquals(0, clients(jedis, "juggler-results"));
    assertEquals(0, clients(jedis, "juggler-pubsub"));

    node.results(UUID.randomUUID(), res -> {});
    assertEquals(
        2, fixture.threadsCreated.get()); // the results loop and the watch of its listeners
    node.subscriber(evnt -> {}).subscribe("x", false);
    assertEquals(
        4, fixture.threadsCreated.get()); // the pub-sub loop and the watch of its connection
    Fixture.eventually(
        "the loops connected",
        () -> clients(jedis, "juggler-results") == 1 && clients(jedis, "juggler-pubsub") == 1);
  }

  @Test
  void closeStopsThreadsAndConnectionsAndIsIdempotent() throws Exception {
    RedisBroker broker = fixture.broker();
    broker.results(UUID.randomUUID(), res -> {});
    broker.subscriber(evnt -> {}).subscribe("x", false);
    broker.publish("x", UUID.randomUUID(), RawJson.NULL);
    Fixture.eventually("connections opened", () -> brokerConnections() == 3);

    broker.close();
    broker.close();
    Fixture.eventually("connections closed", () -> brokerConnections() == 0);
    BrokerException closed =
        assertThrows(
            BrokerException.class, () -> broker.publish("x", UUID.randomUUID(), RawJson.NULL));
    assertEquals(503, closed.code());
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().endsWith(broker.nodeId())),
        "no thread left");
  }

  @Test
  void aBrokerBuiltWhileRedisIsUnreachableFailsFastWith503() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    RedisBroker broker =
        fixture.broker(
            new RedisBrokerConfig(
                URI.create("redis://127.0.0.1:" + closedPort),
                0,
                0,
                4,
                Duration.ofMillis(500),
                fixture.config().threadFactory()));
    long start = System.nanoTime();
    assertEquals(
        503,
        assertThrows(
                BrokerException.class, () -> broker.call(call(UUID.randomUUID(), "f", "1", LONG)))
            .code());
    assertEquals(
        503,
        assertThrows(BrokerException.class, () -> broker.take(List.of("f"), Duration.ofSeconds(5)))
            .code());
    assertEquals(
        503,
        assertThrows(
                BrokerException.class, () -> broker.publish("c", UUID.randomUUID(), RawJson.NULL))
            .code());
    Registration registration = broker.results(UUID.randomUUID(), res -> {});
    assertEquals(
        503,
        assertThrows(
                BrokerException.class, () -> broker.subscriber(evnt -> {}).subscribe("c", false))
            .code());
    registration.close();
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMs < 3_000, "took " + elapsedMs + " ms");
  }
}
