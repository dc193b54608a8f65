package dev.juggler.broker.redis;

import static dev.juggler.broker.redis.Fixture.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Recorder;
import dev.juggler.broker.Registration;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ListDirection;

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
  void aTakeBringsUpToMaxCallsInQueueOrderInOneRoundTrip() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    // A take that finds the list empty: this thread's next take starts with BLPOP.
    assertTrue(callee.take(List.of("batch"), Duration.ZERO, 3).isEmpty());
    for (int i = 1; i <= 5; i++) {
      node.call(call(conn, "batch", Integer.toString(i), LONG));
    }
    resetStats();
    assertEquals(List.of("1", "2", "3"), args(callee.take(List.of("batch"), WAIT, 3)));
    assertEquals(1, commandCalls("time"), "one round trip: BLPOP, LPOP and TIME");
    assertEquals(List.of("4", "5"), args(callee.take(List.of("batch"), WAIT, 8)));
    assertEquals(0, redis.llen("juggler:calls:{batch}"));
    assertThrows(IllegalArgumentException.class, () -> callee.take(List.of("batch"), WAIT, 0));
  }

  @Test
  void callsThatExpiredInATakeOfSeveralAreCountedAndLeftOut() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    assertTrue(callee.take(List.of("mixed"), Duration.ZERO, 4).isEmpty());
    node.call(call(conn, "mixed", "1", LONG));
    node.call(call(conn, "mixed", "2", Duration.ofMillis(50)));
    node.call(call(conn, "mixed", "3", LONG));
    node.call(call(conn, "mixed", "4", Duration.ofMillis(50)));
    Thread.sleep(150); // let two calls' time-to-live pass
    assertEquals(List.of("1", "3"), args(callee.take(List.of("mixed"), WAIT, 4)));
    assertEquals(2, callee.stats().expiredCalls());
  }

  @Test
  void resultsThenTakeStoresEveryResultAndTakesSeveral() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.results(conn, results.results());
    assertTrue(callee.take(List.of("g"), Duration.ZERO, 2).isEmpty());
    for (int i = 1; i <= 4; i++) {
      node.call(call(conn, "g", Integer.toString(i), LONG));
    }
    List<IncomingCall> first = callee.take(List.of("g"), WAIT, 2);
    assertEquals(List.of("1", "2"), args(first));
    List<Object> told = new CopyOnWriteArrayList<>();
    List<IncomingCall> next =
        callee.resultsThenTake(finishedInto(first, told), List.of("g"), WAIT, 8);
    assertEquals(List.of(true, true), told, "each report told before it returned");
    assertEquals(List.of("3", "4"), args(next));
    assertEquals("\"r1\"", results.next().args().text());
    assertEquals("\"r2\"", results.next().args().text());
    assertEquals(0, callee.stats().brokerErrors());
  }

  @Test
  void resultsStoresEveryResultAndTellsEachReport() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.results(conn, results.results());
    for (int i = 1; i <= 2; i++) {
      node.call(call(conn, "h", Integer.toString(i), LONG));
    }
    List<IncomingCall> taken = new ArrayList<>();
    while (taken.size() < 2) {
      taken.addAll(callee.take(List.of("h"), WAIT, 2));
    }
    IncomingCall expired =
        new IncomingCall(
            UUID.randomUUID(), conn, "h", RawJson.NULL, taken.get(0).replyTo(), System.nanoTime());
    List<Object> told = new CopyOnWriteArrayList<>();
    callee.results(finishedInto(List.of(taken.get(0), expired, taken.get(1)), told));
    assertEquals(List.of(false, true, true), told, "each report told before it returned");
    assertEquals("\"r1\"", results.next().args().text());
    assertEquals("\"r2\"", results.next().args().text());
    assertEquals(0, callee.stats().brokerErrors());
  }

  /**
   * Each call finished with {@code "r<args>"}, its report adding what it is told to {@code told}.
   */
  private static List<CalleeBroker.Finished> finishedInto(
      List<IncomingCall> calls, List<Object> told) {
    return calls.stream()
        .map(
            call ->
                new CalleeBroker.Finished(
                    call, new RawJson("\"r" + call.args().text() + "\""), Fixture.reportInto(told)))
        .toList();
  }

  private static List<String> args(List<IncomingCall> calls) {
    return calls.stream().map(call -> call.args().text()).toList();
  }

  private void resetStats() {
    for (HostAndPort server : fixture.backend().servers()) {
      fixture.jedis(server).configResetStat();
    }
  }

  /** How many times the servers ran {@code command} since {@link #resetStats}. */
  private long commandCalls(String command) {
    long calls = 0;
    for (HostAndPort server : fixture.backend().servers()) {
      for (String line : fixture.jedis(server).info("commandstats").split("\r?\n")) {
        if (line.startsWith("cmdstat_" + command + ":calls=")) {
          int end = line.indexOf(',');
          calls += Long.parseLong(line.substring(line.indexOf('=') + 1, end));
        }
      }
    }
    return calls;
  }

  @Test
  void resultThenTakeRunsOnAServerThatLostItsScripts() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.results(conn, results.results());
    for (int i = 1; i <= 3; i++) {
      node.call(call(conn, "f", Integer.toString(i), LONG));
    }
    IncomingCall first = callee.take(List.of("f"), WAIT);
    List<Object> told = new ArrayList<>();
    // The store script runs once, on the connection the next one borrows: it goes by its SHA-1.
    IncomingCall second =
        callee.resultThenTake(
            first, new RawJson("\"one\""), Fixture.reportInto(told), List.of("f"), WAIT);
    for (HostAndPort server : fixture.backend().servers()) {
      Jedis jedis = fixture.jedis(server);
      jedis.scriptFlush(); // as SCRIPT FLUSH does; a restart or a failover also breaks connections
      jedis.configResetStat();
    }
    IncomingCall third =
        callee.resultThenTake(
            second, new RawJson("\"two\""), Fixture.reportInto(told), List.of("f"), WAIT);
    assertEquals(List.of(true, true), told);
    assertEquals("3", third.args().text());
    assertEquals("\"one\"", results.next().args().text());
    assertEquals("\"two\"", results.next().args().text());
    assertTrue(
        fixture.backend().servers().stream()
            .anyMatch(server -> fixture.jedis(server).info("errorstats").contains("NOSCRIPT")),
        "the store met a server without its script");
    assertEquals(0, callee.stats().brokerErrors());
  }

  @Test
  void aResultGoingWithTheNextTakeIsNotHeldBackByItOnAServerWithoutTheScript() throws Exception {
    for (HostAndPort server : fixture.backend().servers()) {
      fixture.jedis(server).scriptFlush(); // as a server that started afresh has none
    }
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.results(conn, results.results());
    node.call(call(conn, "held", "1", LONG));
    IncomingCall first = callee.take(List.of("held"), WAIT);
    List<Object> told = new CopyOnWriteArrayList<>();
    // No call waits: the take after the result blocks, for up to LONG (on a URI of its own, so
    // that, should this fail, the take left behind takes no other test's call).
    CompletableFuture<IncomingCall> next =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return callee.resultThenTake(
                    first, new RawJson("\"one\""), Fixture.reportInto(told), List.of("held"), LONG);
              } catch (BrokerException e) {
                throw new CompletionException(e);
              }
            });
    assertEquals("\"one\"", results.next().args().text());
    assertFalse(next.isDone(), "the result was stored only once the take behind it was over");
    node.call(call(conn, "held", "2", LONG));
    assertEquals("2", next.get(LONG.toMillis(), TimeUnit.MILLISECONDS).args().text());
    assertEquals(List.of(true), told);
    assertEquals(0, callee.stats().brokerErrors());
  }

  @Test
  void resultThenTakeReportsAReplyAddressOfAnotherBrokerAndStillTakes() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    node.call(call(UUID.randomUUID(), "f", "1", LONG));
    IncomingCall foreign =
        new IncomingCall(
            UUID.randomUUID(),
            UUID.randomUUID(),
            "f",
            RawJson.NULL,
            "not-an-address",
            System.nanoTime() + LONG.toNanos());
    List<Object> told = new ArrayList<>();
    IncomingCall next =
        callee.resultThenTake(foreign, RawJson.NULL, Fixture.reportInto(told), List.of("f"), WAIT);
    assertEquals(1, told.size());
    assertTrue(told.get(0) instanceof IllegalArgumentException, "told " + told);
    assertEquals("1", next.args().text());
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

    Recorder<Res> results = Recorder.ofResults();
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
  void aResultWaitedForIsUncountedInItsOwnRoundTrip() throws Exception {
    // One result per connection: each must be uncounted by the time it is delivered, or the next
    // one would be refused.
    RedisBroker node = fixture.broker(fixture.config().withCapacities(0, 1));
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.results(conn, results.results());
    for (int i = 0; i < 3; i++) {
      node.call(call(conn, "f", Integer.toString(i), LONG));
      awaitResultsLoopBlocked();
      assertTrue(callee.result(callee.take(List.of("f"), WAIT), new RawJson(Integer.toString(i))));
      assertEquals(Integer.toString(i), results.next().args().text());
    }
    assertFalse(redis.exists(moved(node)), "nothing stays moved");
    assertEquals(0, node.stats().brokerErrors());
  }

  @Test
  void aResultLeftMovedByAnInterruptedRoundTripIsDeliveredFirst() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      node.call(call(conn, "f", Integer.toString(i), LONG));
      assertTrue(callee.result(callee.take(List.of("f"), WAIT), new RawJson(Integer.toString(i))));
    }
    // As a BLMOVE whose script never ran (the connection broke between them) leaves it.
    String results = "juggler:results:{" + node.nodeId() + "}";
    redis.lmove(results, moved(node), ListDirection.LEFT, ListDirection.RIGHT);

    Recorder<Res> delivered = Recorder.ofResults();
    node.results(conn, delivered.results());
    for (int i = 0; i < 3; i++) {
      assertEquals(Integer.toString(i), delivered.next().args().text());
    }
    assertFalse(redis.exists(moved(node)));
    Fixture.eventually(
        "every delivered result is uncounted",
        () -> redis.hget("juggler:rescount:{" + node.nodeId() + "}", conn.toString()) == null);
  }

  @Test
  void aResultWaitedForArrivesAfterTheServerLostItsScripts() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.results(conn, results.results());
    node.call(call(conn, "f", "1", LONG));
    // The script behind the blocked BLMOVE is queued already: it meets NOSCRIPT when it runs.
    awaitResultsLoopBlocked();
    for (HostAndPort server : fixture.backend().servers()) {
      fixture.jedis(server).scriptFlush(); // as a restart or a failover does
    }
    assertTrue(callee.result(callee.take(List.of("f"), WAIT), new RawJson("\"one\"")));
    assertEquals("\"one\"", results.next().args().text());
    assertFalse(redis.exists(moved(node)));
    assertEquals(0, node.stats().brokerErrors());
  }

  private static String moved(RedisBroker node) {
    return "juggler:resmoved:{" + node.nodeId() + "}";
  }

  /** Waits until a results loop blocks in BLMOVE for the next result. */
  private void awaitResultsLoopBlocked() throws InterruptedException {
    Fixture.eventually(
        "the results loop waits in BLMOVE",
        () ->
            fixture.backend().servers().stream()
                .anyMatch(
                    server -> {
                      try (Jedis jedis = new Jedis(server)) {
                        return jedis
                            .clientList()
                            .lines()
                            .anyMatch(
                                line ->
                                    line.contains(" name=juggler-results ")
                                        && line.contains(" cmd=blmove "));
                      }
                    }));
  }

  @Test
  void resultsForAClosedRegistrationAreDropped() throws Exception {
    RedisBroker node = fixture.broker();
    RedisBroker callee = fixture.broker();
    UUID gone = UUID.randomUUID();
    UUID sentinel = UUID.randomUUID();
    Recorder<Res> goneResults = Recorder.ofResults();
    Recorder<Res> sentinelResults = Recorder.ofResults();
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
}
