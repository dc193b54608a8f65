package dev.juggler.core.broker.redis;

import static dev.juggler.core.broker.redis.Fixture.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.core.broker.BrokerException;
import dev.juggler.core.broker.CallRequest;
import dev.juggler.core.broker.IncomingCall;
import dev.juggler.core.broker.Registration;
import dev.juggler.core.message.RawJson;
import dev.juggler.core.message.Res;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** RPC through the Redis broker; subclasses run it on one server and on a cluster. */
abstract class AbstractRedisRpcIT {

  /** Numbers beyond double, escapes, raw non-ASCII, nesting and whitespace with a newline. */
  static final String TRICKY_ARGS =
      "{\"n\":123456789012345678901234567890.5e-3, \"s\":\"\\u00e9\\ud83d\\ude00 é😀 \\\"q\\\""
          + " \\\\ \\n\",\n \"nested\":{\"a\":[1,{\"b\":null},[]],\"e\":{}},\"t\":true}";

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final Fixture.Backend backend;
  private Fixture fixture;
  private UnifiedJedis redis;

  AbstractRedisRpcIT(Fixture.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void setUp() {
    fixture = new Fixture(backend);
    redis = fixture.redis();
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void resultReachesTheCallingConnectionWithArgsIntact() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    Fixture.Recorder<Res> results = Fixture.resultRecorder();
    node.results(conn, results.results());

    CallRequest request = call(conn, "test.echo", TRICKY_ARGS, LONG);
    node.call(request);
    IncomingCall taken = callee.take(List.of("test.echo"), WAIT);

    assertNotNull(taken);
    assertEquals(request.callUuid(), taken.callUuid());
    assertEquals(conn, taken.connUuid());
    assertEquals("test.echo", taken.uri());
    assertEquals(TRICKY_ARGS, taken.args().text());
    assertTrue(taken.replyTo().startsWith(node.nodeId() + " "), taken.replyTo());
    long remaining = taken.remainingNanos();
    assertTrue(remaining > 0 && remaining <= LONG.toNanos(), "remaining " + remaining);

    assertTrue(callee.result(taken, new RawJson(TRICKY_ARGS)));
    Res res = results.next();
    assertEquals(request.callUuid(), res.forUuid());
    assertEquals("test.echo", res.uri());
    assertEquals(TRICKY_ARGS, res.args().text());
    assertNotNull(res.uuid());
  }

  @Test
  void blockedTakeGetsACallQueuedWhileWaiting() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    CompletableFuture<IncomingCall> taken =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return callee.take(List.of("a", "b"), WAIT);
              } catch (BrokerException e) {
                throw new IllegalStateException(e);
              }
            });
    // Not a synchronization: the call works whether or not the take is blocked by then.
    CallRequest request = call(UUID.randomUUID(), "b", "[1]", LONG);
    node.call(request);
    IncomingCall call = taken.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    assertNotNull(call);
    assertEquals(request.callUuid(), call.callUuid());
    assertEquals("b", call.uri());
  }

  @Test
  void takeOnEmptyQueuesWaitsThenReturnsNull() throws Exception {
    RedisBroker callee = fixture.broker();
    long start = System.nanoTime();
    assertNull(callee.take(List.of("nobody.calls", "nor.this"), Duration.ofMillis(300)));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMs >= 290 && elapsedMs < 3_000, "waited " + elapsedMs + " ms");
    assertNull(callee.take(List.of("nobody.calls"), Duration.ZERO));
  }

  @Test
  void expiredCallsAreNeverTaken() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    node.call(call(UUID.randomUUID(), "slow", "1", Duration.ofMillis(50)));
    node.call(call(UUID.randomUUID(), "slow", "2", Duration.ofMillis(50)));
    Thread.sleep(150); // let the calls' time-to-live pass
    assertNull(callee.take(List.of("slow"), Duration.ZERO));
    assertNull(callee.take(List.of("slow"), Duration.ofMillis(100)));
    assertEquals(0, redis.llen("juggler:calls:{slow}"));
  }

  @Test
  void queuedCallsExpireFromRedisOnTheirOwn() throws Exception {
    RedisBroker node = fixture.broker();
    node.call(call(UUID.randomUUID(), "abandoned", "1", Duration.ofSeconds(5)));
    node.call(call(UUID.randomUUID(), "abandoned", "2", Duration.ofSeconds(1)));
    long ttl = redis.pttl("juggler:calls:{abandoned}");
    assertTrue(ttl > 1_000 && ttl <= 5_000, "the longest time-to-live wins: pttl " + ttl);
  }

  @Test
  void resultsPastTheirTimeToLiveAreNeverDelivered() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    // No registration yet: the node's results loop is not running, so results wait in Redis.
    IncomingCall late =
        new IncomingCall(
            UUID.randomUUID(),
            conn,
            "f",
            RawJson.NULL,
            node.nodeId() + " 0", // as a call queued by that node carries it: no result limit
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
    assertTrue(callee.result(late, new RawJson("\"late\"")));
    Thread.sleep(400); // let the result's time-to-live pass while it waits in Redis

    Fixture.Recorder<Res> results = Fixture.resultRecorder();
    node.results(conn, results.results());
    node.call(call(conn, "f", "\"fresh\"", LONG));
    IncomingCall fresh = callee.take(List.of("f"), WAIT);
    assertTrue(callee.result(fresh, new RawJson("\"fresh\"")));

    assertEquals("\"fresh\"", results.next().args().text());
    assertTrue(results.isEmpty());
  }

  @Test
  void aResultAfterTheLocalDeadlineIsDroppedWithoutRedis() throws Exception {
    RedisBroker callee = fixture.broker();
    IncomingCall expired =
        new IncomingCall(
            UUID.randomUUID(),
            UUID.randomUUID(),
            "f",
            RawJson.NULL,
            "no-such-node",
            System.nanoTime() - 1);
    assertFalse(callee.result(expired, RawJson.NULL));
    assertFalse(redis.exists("juggler:results:{no-such-node}"));
  }

  @Test
  void callCapacityIsEnforcedAndRecoversOnceCallsExpire() throws Exception {
    RedisBroker node = fixture.broker(fixture.config().withCapacities(2, 0));
    UUID conn = UUID.randomUUID();
    node.call(call(conn, "busy", "1", Duration.ofMillis(500)));
    node.call(call(conn, "busy", "2", Duration.ofMillis(500)));
    BrokerException full =
        assertThrows(BrokerException.class, () -> node.call(call(conn, "busy", "3", LONG)));
    assertEquals(429, full.code());
    assertEquals(2, redis.llen("juggler:calls:{busy}"));

    Thread.sleep(600); // let the queued calls expire
    node.call(call(conn, "busy", "4", LONG));
    assertEquals(1, redis.llen("juggler:calls:{busy}"));
  }

  @Test
  void resultCapacityIsEnforcedPerConnection() throws Exception {
    // The limit is the calling node's: it travels with each call to the callee.
    RedisBroker node = fixture.broker(fixture.config().withCapacities(0, 2));
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    for (int i = 0; i < 4; i++) {
      node.call(call(conn, "f", Integer.toString(i), LONG));
    }
    node.call(call(UUID.randomUUID(), "f", "\"other connection\"", LONG));
    // The node delivers nothing yet (no registration), so results pile up in Redis.
    assertTrue(callee.result(callee.take(List.of("f"), WAIT), new RawJson("0")));
    assertTrue(callee.result(callee.take(List.of("f"), WAIT), new RawJson("1")));
    IncomingCall third = callee.take(List.of("f"), WAIT);
    BrokerException full =
        assertThrows(BrokerException.class, () -> callee.result(third, new RawJson("2")));
    assertEquals(429, full.code());
    IncomingCall fourth = callee.take(List.of("f"), WAIT);
    IncomingCall other = callee.take(List.of("f"), WAIT);
    assertTrue(callee.result(other, RawJson.NULL), "another connection has its own count");

    Fixture.Recorder<Res> results = Fixture.resultRecorder();
    node.results(conn, results.results());
    assertEquals("0", results.next().args().text());
    assertEquals("1", results.next().args().text());
    Fixture.eventually(
        "the delivered results are uncounted",
        () -> redis.hget("juggler:rescount:{" + node.nodeId() + "}", conn.toString()) == null);
    assertTrue(callee.result(fourth, new RawJson("3")));
    assertEquals("3", results.next().args().text());
  }

  @Test
  void resultsForAClosedRegistrationAreDropped() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID gone = UUID.randomUUID();
    UUID sentinel = UUID.randomUUID();
    Fixture.Recorder<Res> goneResults = Fixture.resultRecorder();
    Fixture.Recorder<Res> sentinelResults = Fixture.resultRecorder();
    Registration registration = node.results(gone, goneResults.results());
    node.results(sentinel, sentinelResults.results());

    node.call(call(gone, "f", "\"gone\"", LONG));
    node.call(call(sentinel, "f", "\"sentinel\"", LONG));
    IncomingCall first = callee.take(List.of("f"), WAIT);
    IncomingCall second = callee.take(List.of("f"), WAIT);
    registration.close();
    registration.close();
    assertTrue(callee.result(first, new RawJson("\"gone\"")));
    assertTrue(callee.result(second, new RawJson("\"sentinel\"")));

    // Results are delivered in queue order: once the sentinel's arrived, the other was handled.
    assertEquals("\"sentinel\"", sentinelResults.next().args().text());
    assertTrue(goneResults.isEmpty());
    Fixture.eventually(
        "the closed connection's count is removed",
        () -> !redis.exists("juggler:rescount:{" + node.nodeId() + "}"));
  }

  @Test
  void eachNodeDeliversOnlyItsOwnResults() throws Exception {
    RedisBroker node1 = fixture.broker();
    RedisBroker node2 = fixture.broker();
    RedisBroker callee = fixture.broker();
    // The same connection UUID on both nodes: only routing by node can tell them apart.
    UUID conn = UUID.randomUUID();
    Fixture.Recorder<Res> on1 = Fixture.resultRecorder();
    Fixture.Recorder<Res> on2 = Fixture.resultRecorder();
    node1.results(conn, on1.results());
    node2.results(conn, on2.results());

    for (int i = 0; i < 10; i++) {
      node1.call(call(conn, "f", "\"node1-" + i + "\"", LONG));
      node2.call(call(conn, "f", "\"node2-" + i + "\"", LONG));
    }
    for (int i = 0; i < 20; i++) {
      IncomingCall c = callee.take(List.of("f"), WAIT);
      assertTrue(callee.result(c, c.args()));
    }
    for (int i = 0; i < 10; i++) {
      assertTrue(on1.next().args().text().startsWith("\"node1-"));
      assertTrue(on2.next().args().text().startsWith("\"node2-"));
    }
    assertTrue(on1.isEmpty() && on2.isEmpty());
  }

  @Test
  void aThrowingResultListenerDoesNotStopDelivery() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID bad = UUID.randomUUID();
    UUID good = UUID.randomUUID();
    node.results(
        bad,
        res -> {
          throw new IllegalStateException("listener failure (expected by the test)");
        });
    Fixture.Recorder<Res> goodResults = Fixture.resultRecorder();
    node.results(good, goodResults.results());
    node.call(call(bad, "f", "1", LONG));
    node.call(call(good, "f", "2", LONG));
    for (int i = 0; i < 2; i++) {
      IncomingCall c = callee.take(List.of("f"), WAIT);
      callee.result(c, c.args());
    }
    assertEquals("2", goodResults.next().args().text());
  }
}
