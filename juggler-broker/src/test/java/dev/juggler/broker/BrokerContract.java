package dev.juggler.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.support.StallWatch;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every broker must do, written against the SPI alone. A subclass names the store (Redis,
 * Redis Cluster, process memory) by implementing {@link #newNode}, and gives each test an empty
 * store in its own {@code @BeforeEach}.
 *
 * <p>Tests that need results to wait for delivery hold the calling node's delivery thread in a
 * listener ({@link #stall}), as a busy node would. Tests that check that nothing more came publish
 * a sentinel after the event that must not arrive: they assume that sequential publications reach a
 * subscriber in publish order across channels, which holds for one Redis and for process memory.
 */
public abstract class BrokerContract {

  /** Numbers beyond double, escapes, raw non-ASCII, nesting and whitespace with a newline. */
  public static final String TRICKY_ARGS =
      "{\"n\":123456789012345678901234567890.5e-3, \"s\":\"\\u00e9\\ud83d\\ude00 é😀 \\\"q\\\""
          + " \\\\ \\n\",\n \"nested\":{\"a\":[1,{\"b\":null},[]],\"e\":{}},\"t\":true}";

  protected static final Duration LONG = Duration.ofSeconds(30);
  protected static final Duration WAIT = Duration.ofSeconds(5);

  /**
   * Within how many takes of one thread every URI with calls waiting is served (the SPI's bound).
   */
  private static final int FAIR_TAKES = 10;

  /**
   * One broker instance (a server node, or a callee process) in its three roles.
   *
   * @param closer closes the instance; called once, after the test
   */
  protected record Node(
      CallerBroker caller,
      PubSubBroker pubSub,
      CalleeBroker callee,
      BrokerStats stats,
      AutoCloseable closer) {

    /** A broker that plays the three roles itself. */
    public static Node of(Broker broker) {
      return new Node(broker, broker, broker, broker.stats(), broker);
    }
  }

  /**
   * A new broker instance on the store under test, which every instance made during one test
   * shares.
   *
   * @param callCapacity calls that may wait per URI, for the calls this instance queues; 0: none
   * @param resultCapacity results that may wait per connection of this instance; 0: none
   * @param deliveryStall how long a result listener may hold the delivering thread
   */
  protected abstract Node newNode(int callCapacity, int resultCapacity, Duration deliveryStall)
      throws Exception;

  private final List<Node> nodes = new ArrayList<>();
  private final List<CountDownLatch> stalls = new ArrayList<>();

  protected final Node node() throws Exception {
    return node(0, 0);
  }

  protected final Node node(int callCapacity, int resultCapacity) throws Exception {
    return node(callCapacity, resultCapacity, StallWatch.DEFAULT_STALL);
  }

  /**
   * A node whose delivering thread a listener may hold as long as a test runs ({@link #stall}):
   * nothing takes its place meanwhile.
   */
  protected final Node holdingNode(int callCapacity, int resultCapacity) throws Exception {
    return node(callCapacity, resultCapacity, LONG.multipliedBy(10));
  }

  private Node node(int callCapacity, int resultCapacity, Duration deliveryStall) throws Exception {
    Node made = newNode(callCapacity, resultCapacity, deliveryStall);
    nodes.add(made);
    return new Node(
        made.caller(),
        new NamespacedPubSub(made.pubSub(), namespace),
        made.callee(),
        made.stats(),
        made.closer());
  }

  /** This test's channel namespace: the stores are shared by the tests of a run. */
  private final String namespace = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";

  @AfterEach
  final void closeNodes() throws Exception {
    stalls.forEach(CountDownLatch::countDown);
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).closer().close();
    }
  }

  protected static CallRequest call(UUID connUuid, String uri, String args, Duration timeout) {
    return new CallRequest(UUID.randomUUID(), connUuid, uri, new RawJson(args), timeout);
  }

  /** Takes the next call, failing when none comes. */
  protected static IncomingCall takeOne(Node callee, String uri) throws Exception {
    IncomingCall call = callee.callee().take(List.of(uri), WAIT);
    assertNotNull(call, "no call for " + uri);
    return call;
  }

  /**
   * Holds {@code node}'s delivery thread in a result listener until the test ends, so that the
   * results stored for it from then on wait undelivered (and count against its capacity); {@code
   * node} is a {@link #holdingNode}.
   *
   * @return counted down to let the node deliver again
   */
  protected final CountDownLatch stall(Node node, Node callee) throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    stalls.add(release);
    UUID conn = UUID.randomUUID();
    node.caller()
        .results(
            conn,
            res -> {
              entered.countDown();
              try {
                release.await(Recorder.TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    node.caller().call(call(conn, "juggler.stall", "null", LONG));
    assertTrue(callee.callee().result(takeOne(callee, "juggler.stall"), RawJson.NULL));
    assertTrue(entered.await(Recorder.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "stalled");
    return release;
  }

  // ---- RPC

  @Test
  void resultReachesTheCallingConnectionWithArgsIntact() throws Exception {
    Node node = node();
    Node callee = node();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.caller().results(conn, results.results());

    CallRequest request = call(conn, "test.echo", TRICKY_ARGS, LONG);
    node.caller().call(request);
    IncomingCall taken = takeOne(callee, "test.echo");

    assertEquals(request.callUuid(), taken.callUuid());
    assertEquals(conn, taken.connUuid());
    assertEquals("test.echo", taken.uri());
    assertEquals(TRICKY_ARGS, taken.args().text());
    long remaining = taken.remainingNanos();
    assertTrue(remaining > 0 && remaining <= LONG.toNanos(), "remaining " + remaining);

    assertTrue(callee.callee().result(taken, new RawJson(TRICKY_ARGS)));
    Res res = results.next();
    assertEquals(1, node.stats().calls());
    assertEquals(1, node.stats().results());
    assertEquals(0, callee.stats().calls());
    assertEquals(0, callee.stats().results());
    assertEquals(request.callUuid(), res.forUuid());
    assertEquals("test.echo", res.uri());
    assertEquals(TRICKY_ARGS, res.args().text());
    assertNotNull(res.uuid());
  }

  @Test
  void callsOfOneUriAreTakenOldestFirst() throws Exception {
    Node node = node();
    for (int i = 0; i < 5; i++) {
      node.caller().call(call(UUID.randomUUID(), "fifo", Integer.toString(i), LONG));
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(Integer.toString(i), takeOne(node, "fifo").args().text());
    }
    assertNull(node.callee().take(List.of("fifo"), Duration.ZERO));
  }

  @Test
  void aBlockedTakeGetsACallQueuedWhileItWaits() throws Exception {
    Node node = node();
    Node callee = node();
    CompletableFuture<IncomingCall> taken =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return callee.callee().take(List.of("a", "b"), WAIT);
              } catch (BrokerException e) {
                throw new IllegalStateException(e);
              }
            });
    // Not a synchronization: the call works whether or not the take is blocked by then.
    CallRequest request = call(UUID.randomUUID(), "b", "[1]", LONG);
    node.caller().call(request);
    IncomingCall call = taken.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    assertNotNull(call);
    assertEquals(request.callUuid(), call.callUuid());
    assertEquals("b", call.uri());
  }

  @Test
  void aTakeServesEveryUriAndABusyOneCannotStarveTheOthers() throws Exception {
    Node node = node();
    for (int i = 0; i < 3 * FAIR_TAKES; i++) {
      node.caller().call(call(UUID.randomUUID(), "busy", "0", LONG));
    }
    node.caller().call(call(UUID.randomUUID(), "quiet", "1", LONG));
    Set<String> served = new HashSet<>();
    for (int i = 0; i < FAIR_TAKES; i++) {
      served.add(node.callee().take(List.of("busy", "quiet"), WAIT).uri());
    }
    assertEquals(Set.of("busy", "quiet"), served);
  }

  @Test
  void aTakeOnEmptyQueuesWaitsThenReturnsNull() throws Exception {
    Node callee = node();
    long start = System.nanoTime();
    assertNull(callee.callee().take(List.of("nobody.calls", "nor.this"), Duration.ofMillis(300)));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMs >= 290 && elapsedMs < 3_000, "waited " + elapsedMs + " ms");
    assertNull(callee.callee().take(List.of("nobody.calls"), Duration.ZERO));
  }

  @Test
  void expiredCallsAreNeverTaken() throws Exception {
    Node node = node();
    Node callee = node();
    node.caller().call(call(UUID.randomUUID(), "slow", "1", Duration.ofMillis(50)));
    node.caller().call(call(UUID.randomUUID(), "slow", "2", Duration.ofMillis(50)));
    Thread.sleep(150); // let the calls' time-to-live pass
    assertNull(callee.callee().take(List.of("slow"), Duration.ZERO));
    node.caller().call(call(UUID.randomUUID(), "slow", "3", LONG));
    assertEquals("3", takeOne(callee, "slow").args().text());
    assertNull(callee.callee().take(List.of("slow"), Duration.ofMillis(100)));
  }

  @Test
  void expiredCallsAreCountedByTheBrokerThatDiscardsThem() throws Exception {
    Node node = node();
    Node callee = node();
    node.caller().call(call(UUID.randomUUID(), "slow", "1", Duration.ofMillis(50)));
    node.caller().call(call(UUID.randomUUID(), "slow", "2", Duration.ofMillis(50)));
    node.caller().call(call(UUID.randomUUID(), "slow", "3", LONG));
    Thread.sleep(150); // let the first two calls' time-to-live pass
    assertEquals("3", takeOne(callee, "slow").args().text());
    assertEquals(3, node.stats().calls());
    assertEquals(2, callee.stats().expiredCalls());
    assertEquals(0, node.stats().expiredCalls());
    assertEquals(0, callee.stats().brokerErrors());
  }

  @Test
  void invalidCallsAndChannelsAreRefusedWith400() throws Exception {
    Node node = node();
    UUID conn = UUID.randomUUID();
    BrokerException newline =
        assertThrows(
            BrokerException.class, () -> node.caller().call(call(conn, "a\nb", "1", LONG)));
    assertEquals(400, newline.code());
    BrokerException noTime =
        assertThrows(
            BrokerException.class, () -> node.caller().call(call(conn, "a", "1", Duration.ZERO)));
    assertEquals(400, noTime.code());
    BrokerException channel =
        assertThrows(
            BrokerException.class,
            () -> node.pubSub().publish("a\nb", UUID.randomUUID(), RawJson.NULL));
    assertEquals(400, channel.code());
  }

  @Test
  void aResultAfterTheDeadlineIsDroppedByTheCallee() throws Exception {
    Node node = node();
    Node callee = node();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.caller().results(conn, results.results());
    // a first take connects; the late call's short time-to-live is for the take after it
    node.caller().call(call(conn, "f", "\"warm\"", LONG));
    assertTrue(callee.callee().result(takeOne(callee, "f"), new RawJson("\"warm\"")));
    assertEquals("\"warm\"", results.next().args().text());
    node.caller().call(call(conn, "f", "\"late\"", Duration.ofMillis(300)));
    IncomingCall late = takeOne(callee, "f");
    Thread.sleep(400); // let the call's time-to-live pass while the callee works
    assertFalse(callee.callee().result(late, new RawJson("\"late\"")));

    node.caller().call(call(conn, "f", "\"fresh\"", LONG));
    assertTrue(callee.callee().result(takeOne(callee, "f"), new RawJson("\"fresh\"")));
    assertEquals("\"fresh\"", results.next().args().text());
    assertTrue(results.isEmpty());
  }

  /** A calling node, a callee node, and a connection of the caller whose results are recorded. */
  private record Rpc(Node node, Node callee, UUID conn, Recorder<Res> results) {}

  private Rpc rpc() throws Exception {
    Rpc rpc = new Rpc(node(), node(), UUID.randomUUID(), Recorder.ofResults());
    rpc.node().caller().results(rpc.conn(), rpc.results().results());
    return rpc;
  }

  /** What a {@link CalleeBroker.ResultReport} was told: {@code Boolean}s and exceptions. */
  private static final class Told implements CalleeBroker.ResultReport {
    final List<Object> told = new ArrayList<>();

    @Override
    public synchronized void stored(boolean stored) {
      told.add(stored);
    }

    @Override
    public synchronized void failed(Exception failure) {
      told.add(failure);
    }

    /** The one thing told. */
    synchronized Object once() {
      assertEquals(1, told.size(), "told " + told);
      return told.get(0);
    }

    /** The code of the one failure told. */
    int failureCode() {
      Object once = once();
      assertTrue(once instanceof BrokerException, "told " + once);
      return ((BrokerException) once).code();
    }
  }

  @Test
  void resultThenTakeStoresTheResultAndReturnsTheNextCall() throws Exception {
    Rpc rpc = rpc();
    rpc.node().caller().call(call(rpc.conn(), "f", "1", LONG));
    rpc.node().caller().call(call(rpc.conn(), "f", "2", LONG));
    IncomingCall first = takeOne(rpc.callee(), "f");

    Told told = new Told();
    IncomingCall second =
        rpc.callee()
            .callee()
            .resultThenTake(first, new RawJson(TRICKY_ARGS), told, List.of("f"), WAIT);
    assertEquals(true, told.once());
    assertNotNull(second);
    assertEquals("2", second.args().text());
    assertTrue(second.remainingNanos() > 0 && second.remainingNanos() <= LONG.toNanos());
    Res res = rpc.results().next();
    assertEquals(first.callUuid(), res.forUuid());
    assertEquals(TRICKY_ARGS, res.args().text());

    // Nothing waits: the result is stored all the same, and the take waits, then returns null.
    Told last = new Told();
    long start = System.nanoTime();
    assertNull(
        rpc.callee()
            .callee()
            .resultThenTake(second, RawJson.NULL, last, List.of("f"), Duration.ofMillis(300)));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(290), "waited");
    assertEquals(true, last.once());
    assertEquals(second.callUuid(), rpc.results().next().forUuid());
    assertEquals(0, rpc.callee().stats().brokerErrors());
  }

  @Test
  void resultThenTakeWaitsForACallQueuedMeanwhile() throws Exception {
    Rpc rpc = rpc();
    rpc.node().caller().call(call(rpc.conn(), "a", "1", LONG));
    IncomingCall first = takeOne(rpc.callee(), "a");
    Told told = new Told();
    CompletableFuture<IncomingCall> next =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return rpc.callee()
                    .callee()
                    .resultThenTake(first, RawJson.NULL, told, List.of("a", "b"), WAIT);
              } catch (BrokerException e) {
                throw new IllegalStateException(e);
              }
            });
    // The result is stored before the take waits: its RES comes while no call is queued.
    assertEquals(first.callUuid(), rpc.results().next().forUuid());
    CallRequest request = call(rpc.conn(), "b", "2", LONG);
    rpc.node().caller().call(request);
    IncomingCall taken = next.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    assertNotNull(taken);
    assertEquals(request.callUuid(), taken.callUuid());
    assertEquals(true, told.once());
  }

  @Test
  void resultThenTakeSkipsExpiredCallsAndDropsAnExpiredCallsResult() throws Exception {
    Rpc rpc = rpc();
    rpc.node().caller().call(call(rpc.conn(), "slow", "0", LONG));
    IncomingCall first = takeOne(rpc.callee(), "slow");
    for (int i = 1; i <= 3; i++) {
      rpc.node()
          .caller()
          .call(call(rpc.conn(), "slow", Integer.toString(i), Duration.ofMillis(50)));
    }
    rpc.node().caller().call(call(rpc.conn(), "slow", "4", Duration.ofMillis(400)));
    Thread.sleep(150); // let the three short calls' time-to-live pass

    Told told = new Told();
    IncomingCall live =
        rpc.callee().callee().resultThenTake(first, RawJson.NULL, told, List.of("slow"), WAIT);
    assertEquals(true, told.once());
    assertNotNull(live);
    assertEquals("4", live.args().text());
    assertEquals(3, rpc.callee().stats().expiredCalls());
    assertEquals(first.callUuid(), rpc.results().next().forUuid());

    Thread.sleep(450); // the last call expires while the callee works on it
    Told late = new Told();
    assertNull(
        rpc.callee()
            .callee()
            .resultThenTake(live, RawJson.NULL, late, List.of("slow"), Duration.ZERO));
    assertEquals(false, late.once());
    assertTrue(rpc.results().isEmpty());
  }

  @Test
  void resultThenTakeReportsAFullResultCapacityAndStillTakes() throws Exception {
    Node node = holdingNode(0, 1);
    Node callee = node();
    UUID conn = UUID.randomUUID();
    node.caller().call(call(conn, "f", "0", LONG));
    node.caller().call(call(conn, "f", "1", LONG));
    IncomingCall first = takeOne(callee, "f");
    IncomingCall second = takeOne(callee, "f");
    node.caller().call(call(conn, "g", "2", LONG));
    stall(node, callee);
    assertTrue(callee.callee().result(first, RawJson.NULL));

    Told told = new Told();
    IncomingCall next =
        callee.callee().resultThenTake(second, RawJson.NULL, told, List.of("g"), WAIT);
    assertEquals(429, told.failureCode());
    assertNotNull(next);
    assertEquals("2", next.args().text());
    assertEquals(0, callee.stats().brokerErrors());
  }

  @Test
  void resultThenTakeOnAClosedBrokerReportsAndThrows503() throws Exception {
    Node node = node();
    Node callee = node();
    node.caller().call(call(UUID.randomUUID(), "f", "1", LONG));
    IncomingCall taken = takeOne(callee, "f");
    callee.closer().close();
    Told told = new Told();
    BrokerException e =
        assertThrows(
            BrokerException.class,
            () -> callee.callee().resultThenTake(taken, RawJson.NULL, told, List.of("f"), WAIT));
    assertEquals(503, e.code());
    assertEquals(503, told.failureCode());
  }

  @Test
  void aListenerHoldingItsThreadHoldsBackOtherConnectionsResultsOnlyForTheDeliveryStall()
      throws Exception {
    Node node = node(); // the default delivery stall
    Node callee = node();
    UUID held = UUID.randomUUID();
    List<String> heldResults = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    stalls.add(release);
    node.caller()
        .results(
            held,
            res -> {
              heldResults.add(res.args().text());
              entered.countDown();
              try {
                // a client that does not read, until the test lets it go
                release.await(Recorder.TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    UUID other = UUID.randomUUID();
    Recorder<Res> otherResults = Recorder.ofResults();
    node.caller().results(other, otherResults.results());

    node.caller().call(call(held, "f", "\"held\"", LONG));
    assertTrue(callee.callee().result(takeOne(callee, "f"), new RawJson("\"held\"")));
    assertTrue(entered.await(Recorder.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "held");
    for (int i = 0; i < 3; i++) {
      String args = Integer.toString(i);
      node.caller().call(call(other, "f", args, LONG));
      assertTrue(callee.callee().result(takeOne(callee, "f"), new RawJson(args)));
      // delivered while the first listener still holds the thread it was called on
      assertEquals(args, otherResults.next().args().text());
    }
    assertEquals(List.of("\"held\""), heldResults);

    release.countDown();
    node.caller().call(call(held, "f", "\"after\"", LONG));
    assertTrue(callee.callee().result(takeOne(callee, "f"), new RawJson("\"after\"")));
    node.caller().call(call(other, "f", "\"last\"", LONG));
    assertTrue(callee.callee().result(takeOne(callee, "f"), new RawJson("\"last\"")));
    assertEquals("\"last\"", otherResults.next().args().text());
    // each result once, the held one's included
    long end = System.nanoTime() + Recorder.TIMEOUT.toNanos();
    while (heldResults.size() < 2 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(List.of("\"held\"", "\"after\""), heldResults);
    assertTrue(otherResults.isEmpty());
    assertEquals(6, node.stats().results());
  }

  @Test
  void resultsPastTheirTimeToLiveAreNeverDelivered() throws Exception {
    Node node = holdingNode(0, 0);
    Node callee = node();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.caller().results(conn, results.results());
    CountDownLatch release = stall(node, callee);
    node.caller().call(call(conn, "f", "\"late\"", Duration.ofMillis(500)));
    node.caller().call(call(conn, "f", "\"fresh\"", LONG));
    IncomingCall late = takeOne(callee, "f");
    IncomingCall fresh = takeOne(callee, "f");
    assertTrue(callee.callee().result(late, new RawJson("\"late\"")));
    assertTrue(callee.callee().result(fresh, new RawJson("\"fresh\"")));
    Thread.sleep(600); // let the first result's time-to-live pass while it waits for delivery
    release.countDown();

    assertEquals("\"fresh\"", results.next().args().text());
    assertTrue(results.isEmpty());
    assertEquals(1, node.stats().expiredResults()); // judged before the fresh one is delivered
    assertEquals(2, node.stats().results()); // the stalling result and the fresh one
  }

  @Test
  void callCapacityIsEnforcedPerUriAndRecoversOnceCallsExpire() throws Exception {
    Node node = node(2, 0);
    UUID conn = UUID.randomUUID();
    node.caller().call(call(conn, "busy", "1", Duration.ofMillis(500)));
    node.caller().call(call(conn, "busy", "2", Duration.ofMillis(500)));
    BrokerException full =
        assertThrows(
            BrokerException.class, () -> node.caller().call(call(conn, "busy", "3", LONG)));
    assertEquals(429, full.code());
    node.caller().call(call(conn, "other", "4", LONG));

    Thread.sleep(600); // let the queued calls expire
    node.caller().call(call(conn, "busy", "5", LONG));
    node.caller().call(call(conn, "busy", "6", LONG));
    assertEquals("5", takeOne(node, "busy").args().text());
    assertEquals("6", takeOne(node, "busy").args().text());
    assertNull(node.callee().take(List.of("busy"), Duration.ZERO));
  }

  @Test
  void resultCapacityIsTheCallersAndCountsPerConnection() throws Exception {
    Node node = holdingNode(0, 2);
    Node callee = node(); // no limit of its own: the caller's travels with each call
    UUID conn = UUID.randomUUID();
    for (int i = 0; i < 4; i++) {
      node.caller().call(call(conn, "f", Integer.toString(i), LONG));
    }
    node.caller().call(call(UUID.randomUUID(), "f", "\"other connection\"", LONG));
    List<IncomingCall> taken = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      taken.add(takeOne(callee, "f"));
    }

    CountDownLatch release = stall(node, callee);
    assertTrue(callee.callee().result(taken.get(0), new RawJson("0")));
    assertTrue(callee.callee().result(taken.get(1), new RawJson("1")));
    BrokerException full =
        assertThrows(
            BrokerException.class, () -> callee.callee().result(taken.get(2), new RawJson("2")));
    assertEquals(429, full.code());
    assertTrue(callee.callee().result(taken.get(4), RawJson.NULL), "another connection's count");

    Recorder<Res> results = Recorder.ofResults();
    node.caller().results(conn, results.results());
    release.countDown();
    assertEquals("0", results.next().args().text());
    assertEquals("1", results.next().args().text());
    // Delivered results no longer count.
    assertTrue(callee.callee().result(taken.get(3), new RawJson("3")));
    assertEquals("3", results.next().args().text());
  }

  @Test
  void resultsGoOnlyToTheirRegistrationAndAreDroppedOnceItCloses() throws Exception {
    Node node = node();
    Node callee = node();
    UUID gone = UUID.randomUUID();
    UUID sentinel = UUID.randomUUID();
    Recorder<Res> goneResults = Recorder.ofResults();
    Recorder<Res> sentinelResults = Recorder.ofResults();
    Registration registration = node.caller().results(gone, goneResults.results());
    node.caller().results(sentinel, sentinelResults.results());

    node.caller().call(call(gone, "f", "\"gone\"", LONG));
    node.caller().call(call(sentinel, "f", "\"sentinel\"", LONG));
    IncomingCall first = takeOne(callee, "f");
    IncomingCall second = takeOne(callee, "f");
    registration.close();
    registration.close();
    assertTrue(callee.callee().result(first, new RawJson("\"gone\"")));
    assertTrue(callee.callee().result(second, new RawJson("\"sentinel\"")));

    // A node delivers its results in the order they were stored: the first was handled by now.
    assertEquals("\"sentinel\"", sentinelResults.next().args().text());
    assertTrue(goneResults.isEmpty());
  }

  @Test
  void eachNodeDeliversOnlyItsOwnResults() throws Exception {
    Node node1 = node();
    Node node2 = node();
    Node callee = node();
    // The same connection UUID on both nodes: only routing by node can tell them apart.
    UUID conn = UUID.randomUUID();
    Recorder<Res> on1 = Recorder.ofResults();
    Recorder<Res> on2 = Recorder.ofResults();
    node1.caller().results(conn, on1.results());
    node2.caller().results(conn, on2.results());

    for (int i = 0; i < 10; i++) {
      node1.caller().call(call(conn, "f", "\"node1-" + i + "\"", LONG));
      node2.caller().call(call(conn, "f", "\"node2-" + i + "\"", LONG));
    }
    for (int i = 0; i < 20; i++) {
      IncomingCall c = takeOne(callee, "f");
      assertTrue(callee.callee().result(c, c.args()));
    }
    for (int i = 0; i < 10; i++) {
      assertEquals("\"node1-" + i + "\"", on1.next().args().text());
      assertEquals("\"node2-" + i + "\"", on2.next().args().text());
    }
    assertTrue(on1.isEmpty() && on2.isEmpty());
  }

  @Test
  void aThrowingResultListenerDoesNotStopDelivery() throws Exception {
    Node node = node();
    Node callee = node();
    UUID bad = UUID.randomUUID();
    UUID good = UUID.randomUUID();
    node.caller()
        .results(
            bad,
            res -> {
              throw new IllegalStateException("listener failure (expected by the test)");
            });
    Recorder<Res> goodResults = Recorder.ofResults();
    node.caller().results(good, goodResults.results());
    node.caller().call(call(bad, "f", "1", LONG));
    node.caller().call(call(good, "f", "2", LONG));
    for (int i = 0; i < 2; i++) {
      IncomingCall c = takeOne(callee, "f");
      callee.callee().result(c, c.args());
    }
    assertEquals("2", goodResults.next().args().text());
  }

  @Test
  void aClosedBrokerRefusesWith503AndClosingTwiceIsHarmless() throws Exception {
    Node node = node();
    node.closer().close();
    node.closer().close();
    UUID conn = UUID.randomUUID();
    assertEquals(
        503,
        assertThrows(BrokerException.class, () -> node.caller().call(call(conn, "f", "1", LONG)))
            .code());
    assertEquals(
        503,
        assertThrows(BrokerException.class, () -> node.callee().take(List.of("f"), WAIT)).code());
    assertEquals(
        503,
        assertThrows(
                BrokerException.class,
                () -> node.pubSub().publish("c", UUID.randomUUID(), RawJson.NULL))
            .code());
    assertEquals(3, node.stats().brokerErrors());
    assertEquals(0, node.stats().calls());
  }

  @Test
  void refusedRequestsAreNotBrokerErrors() throws Exception {
    Node node = node();
    assertThrows(
        BrokerException.class,
        () -> node.caller().call(call(UUID.randomUUID(), "a\nb", "1", LONG)));
    assertEquals(0, node.stats().brokerErrors());
    assertEquals(0, node.stats().calls());
  }

  // ---- liveness

  private static final Duration SHORT_TTL = Duration.ofMillis(400);

  private static String calleeId() {
    return "callee-" + UUID.randomUUID();
  }

  /** Polls {@code node}'s live URIs until they equal {@code expected}; fails after a bound. */
  private static void awaitLive(Node node, Set<String> expected) throws Exception {
    long end = System.nanoTime() + Recorder.TIMEOUT.toNanos();
    Set<String> live = node.caller().liveUris();
    while (!live.equals(expected)) {
      assertTrue(System.nanoTime() < end, "live URIs " + live + ", expected " + expected);
      Thread.sleep(20);
      live = node.caller().liveUris();
    }
  }

  @Test
  void urisAreLiveAfterAHeartbeatOnEveryNodeInOrder() throws Exception {
    Node server = node();
    Node other = node();
    Node callee = node();
    assertEquals(Set.of(), server.caller().liveUris());
    callee.callee().heartbeat(List.of("live.b", "live.a"), calleeId(), LONG);
    assertEquals(List.of("live.a", "live.b"), List.copyOf(server.caller().liveUris()));
    assertEquals(Set.of("live.a", "live.b"), other.caller().liveUris());
    assertThrows(UnsupportedOperationException.class, () -> server.caller().liveUris().add("x"));
  }

  @Test
  void urisDisappearOnceTheirTimeToLiveHasPassedUnlessRenewed() throws Exception {
    Node server = node();
    Node callee = node();
    String id = calleeId();
    callee.callee().heartbeat(List.of("live.short"), id, SHORT_TTL);
    assertEquals(Set.of("live.short"), server.caller().liveUris());
    // Renewed four times a time-to-live: live throughout, past the first mark's expiry.
    long end = System.nanoTime() + SHORT_TTL.multipliedBy(3).toNanos();
    long lastBeat;
    do {
      Thread.sleep(SHORT_TTL.toMillis() / 4);
      // the mark's time-to-live starts after this, when the store runs the heartbeat
      lastBeat = System.nanoTime();
      callee.callee().heartbeat(List.of("live.short"), id, SHORT_TTL);
      assertEquals(Set.of("live.short"), server.caller().liveUris(), "renewed");
    } while (System.nanoTime() < end);
    awaitLive(server, Set.of());
    assertTrue(
        System.nanoTime() - lastBeat >= SHORT_TTL.toNanos() - Duration.ofMillis(50).toNanos(),
        "gone only once the time-to-live had passed");
  }

  @Test
  void leaveRemovesOnlyTheLeavingCalleesMarks() throws Exception {
    Node server = node();
    Node one = node();
    Node two = node();
    String first = calleeId();
    String second = calleeId();
    one.callee().heartbeat(List.of("live.a", "live.b"), first, LONG);
    two.callee().heartbeat(List.of("live.b", "live.c"), second, LONG);
    assertEquals(Set.of("live.a", "live.b", "live.c"), server.caller().liveUris());

    one.callee().leave(List.of("live.a", "live.b"), first);
    assertEquals(Set.of("live.b", "live.c"), server.caller().liveUris(), "at once");
    two.callee().leave(List.of("live.c"), first); // not its own: nothing changes
    assertEquals(Set.of("live.b", "live.c"), server.caller().liveUris());
    two.callee().leave(List.of("live.b", "live.c"), second);
    assertEquals(Set.of(), server.caller().liveUris());
    two.callee().leave(List.of("live.b"), second); // leaving twice is harmless
  }

  @Test
  void twoCalleesOnOneUriComeAndGoIndependently() throws Exception {
    Node server = node();
    Node shortLived = node();
    Node lasting = node();
    String lastingId = calleeId();
    shortLived.callee().heartbeat(List.of("live.shared"), calleeId(), SHORT_TTL);
    lasting.callee().heartbeat(List.of("live.shared"), lastingId, LONG);
    // A mark of the lasting callee on another URI expires on its own.
    lasting.callee().heartbeat(List.of("live.own"), lastingId, SHORT_TTL);
    awaitLive(server, Set.of("live.shared"));
    Thread.sleep(SHORT_TTL.toMillis()); // well past the short-lived callee's expiry
    assertEquals(Set.of("live.shared"), server.caller().liveUris(), "the lasting one remains");
    shortLived.callee().heartbeat(List.of("live.shared"), calleeId(), LONG);
    lasting.callee().leave(List.of("live.shared"), lastingId);
    assertEquals(Set.of("live.shared"), server.caller().liveUris(), "the other one remains");
  }

  @Test
  void invalidHeartbeatsAreRefusedWith400AndAClosedBrokerWith503() throws Exception {
    Node node = node();
    String id = calleeId();
    assertEquals(
        400,
        assertThrows(
                BrokerException.class, () -> node.callee().heartbeat(List.of("a\nb"), id, LONG))
            .code());
    assertEquals(
        400,
        assertThrows(
                BrokerException.class, () -> node.callee().heartbeat(List.of("a"), "x\ny", LONG))
            .code());
    assertEquals(
        400,
        assertThrows(
                BrokerException.class,
                () -> node.callee().heartbeat(List.of("a"), id, Duration.ZERO))
            .code());
    node.callee().heartbeat(List.of(), id, LONG); // nothing to mark
    assertEquals(Set.of(), node.caller().liveUris());
    node.closer().close();
    assertEquals(503, assertThrows(BrokerException.class, () -> node.caller().liveUris()).code());
    assertEquals(
        503,
        assertThrows(BrokerException.class, () -> node.callee().heartbeat(List.of("a"), id, LONG))
            .code());
  }

  // ---- pub-sub

  private static void publish(Node node, String channel, String args) throws Exception {
    node.pubSub().publish(channel, UUID.randomUUID(), new RawJson(args));
  }

  @Test
  void aChannelSubscriptionGetsEventsWithArgsIntact() throws Exception {
    Node node = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    node.pubSub().subscriber(events.events()).subscribe("news", false);

    UUID pubUuid = UUID.randomUUID();
    node.pubSub().publish("news", pubUuid, new RawJson(TRICKY_ARGS));
    Evnt evnt = events.next();
    assertEquals(pubUuid, evnt.forUuid());
    assertNotEquals(pubUuid, evnt.uuid());
    assertEquals("news", evnt.channel());
    assertNull(evnt.pattern());
    assertEquals(TRICKY_ARGS, evnt.args().text());
  }

  @Test
  void eventsAreCountedPerSubscriberByTheReceivingBroker() throws Exception {
    Node node = node();
    Node publisher = node();
    Recorder<Evnt> first = Recorder.ofEvents();
    Recorder<Evnt> second = Recorder.ofEvents();
    node.pubSub().subscriber(first.events()).subscribe("counted", false);
    node.pubSub().subscriber(second.events()).subscribe("counted", false);
    publish(publisher, "counted", "1");
    publish(publisher, "counted", "2");
    for (int i = 0; i < 2; i++) {
      first.next();
      second.next();
    }
    assertEquals(4, node.stats().events());
    assertEquals(0, publisher.stats().events());
    assertEquals(0, node.stats().payloadDecodeFailures());
  }

  @Test
  void eventsReachSubscribersOfOtherNodes() throws Exception {
    Node publisher = node();
    Node subscriberNode = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    subscriberNode.pubSub().subscriber(events.events()).subscribe("across", false);
    publish(publisher, "across", "1");
    assertEquals("1", events.next().args().text());
  }

  @Test
  void aPatternSubscriptionSetsThePattern() throws Exception {
    Node node = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    node.pubSub().subscriber(events.events()).subscribe("news.*", true);

    publish(node, "news.sports", "1");
    publish(node, "weather", "2");
    publish(node, "news.arts", "3");
    Evnt first = events.next();
    assertEquals("news.sports", first.channel());
    assertEquals("news.*", first.pattern());
    Evnt second = events.next();
    assertEquals("news.arts", second.channel());
    assertEquals("3", second.args().text());
    assertTrue(events.isEmpty());
  }

  @Test
  void channelAndPatternSubscriptionsEachDeliver() throws Exception {
    Node node = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = node.pubSub().subscriber(events.events());
    subscriber.subscribe("news", false);
    subscriber.subscribe("new*", true);

    publish(node, "news", "{\"hello\":\"world\"}");
    Evnt a = events.next();
    Evnt b = events.next();
    assertEquals(a.forUuid(), b.forUuid());
    assertEquals(Set.of("-", "new*"), Set.of(patternOf(a), patternOf(b)), "one per subscription");
  }

  private static String patternOf(Evnt evnt) {
    return evnt.pattern() == null ? "-" : evnt.pattern();
  }

  static Stream<GlobCases.Case> globCases() {
    // The empty channel is not a channel clients can use.
    return GlobCases.all().stream().filter(c -> !c.channel().isEmpty());
  }

  /**
   * The subscriber also subscribes to the channel itself: once the channel subscription has
   * delivered the second event, a pattern that matches has delivered the first.
   */
  @ParameterizedTest
  @MethodSource("globCases")
  void patternsFollowRedisGlobRules(GlobCases.Case c) throws Exception {
    Node node = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = node.pubSub().subscriber(events.events());
    subscriber.subscribe(c.pattern(), true);
    subscriber.subscribe(c.channel(), false);
    publish(node, c.channel(), "1");
    publish(node, c.channel(), "2");
    boolean matched = false;
    for (Evnt e = events.next(); e.pattern() != null || !"2".equals(e.args().text()); ) {
      matched |= e.pattern() != null && "1".equals(e.args().text());
      e = events.next();
    }
    assertEquals(c.matches(), matched, c.toString());
  }

  @Test
  void eventsFromOnePublisherArriveInOrder() throws Exception {
    Node node = node();
    Node publisher = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    Recorder<Evnt> viaPattern = Recorder.ofEvents();
    node.pubSub().subscriber(events.events()).subscribe("ordered", false);
    node.pubSub().subscriber(viaPattern.events()).subscribe("order*", true);
    for (int i = 0; i < 1_000; i++) {
      publish(publisher, "ordered", Integer.toString(i));
    }
    for (int i = 0; i < 1_000; i++) {
      assertEquals(Integer.toString(i), events.next().args().text());
      assertEquals(Integer.toString(i), viaPattern.next().args().text());
    }
  }

  @Test
  void subscribingTwiceIsOneSubscription() throws Exception {
    Node node = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = node.pubSub().subscriber(events.events());
    subscriber.subscribe("twice", false);
    subscriber.subscribe("twice", false);
    subscriber.subscribe("tw*", true);
    subscriber.subscribe("tw*", true);
    subscriber.subscribe("sentinel", false);

    publish(node, "twice", "1");
    publish(node, "sentinel", "s1");
    Set<String> got = Set.of(patternOf(events.next()), patternOf(events.next()));
    assertEquals(Set.of("-", "tw*"), got);
    assertEquals("s1", events.next().args().text());

    // One unsubscribe undoes both subscribes.
    subscriber.unsubscribe("twice", false);
    subscriber.unsubscribe("tw*", true);
    publish(node, "twice", "2");
    publish(node, "sentinel", "s2");
    assertEquals("s2", events.next().args().text());
  }

  @Test
  void unsubscribeStopsDelivery() throws Exception {
    Node node = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = node.pubSub().subscriber(events.events());
    subscriber.subscribe("a", false);
    subscriber.subscribe("sentinel", false);
    publish(node, "a", "1");
    assertEquals("1", events.next().args().text());

    subscriber.unsubscribe("a", false);
    subscriber.unsubscribe("never-subscribed", false);
    subscriber.unsubscribe("never*", true);
    publish(node, "a", "2");
    publish(node, "sentinel", "3");
    assertEquals("3", events.next().args().text());
    assertTrue(events.isEmpty());
  }

  @Test
  void subscriptionsAreCountedPerSubscriber() throws Exception {
    Node node = node();
    Recorder<Evnt> first = Recorder.ofEvents();
    Recorder<Evnt> second = Recorder.ofEvents();
    Subscriber s1 = node.pubSub().subscriber(first.events());
    Subscriber s2 = node.pubSub().subscriber(second.events());
    s1.subscribe("shared", false);
    s2.subscribe("shared", false);
    s1.subscribe("p.*", true);
    s2.subscribe("p.*", true);
    s1.subscribe("sentinel", false);

    s1.unsubscribe("shared", false);
    s1.unsubscribe("p.*", true);
    publish(node, "shared", "1");
    publish(node, "p.x", "2");
    publish(node, "sentinel", "3");
    assertEquals("1", second.next().args().text());
    assertEquals("2", second.next().args().text());
    assertEquals("3", first.next().args().text());
    assertTrue(first.isEmpty());
  }

  @Test
  void aClosedSubscriberGetsNothingMore() throws Exception {
    Node node = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    Recorder<Evnt> sentinel = Recorder.ofEvents();
    Subscriber subscriber = node.pubSub().subscriber(events.events());
    subscriber.subscribe("x", false);
    subscriber.subscribe("x.*", true);
    node.pubSub().subscriber(sentinel.events()).subscribe("s", false);
    subscriber.close();
    subscriber.close();
    publish(node, "x", "1");
    publish(node, "x.y", "2");
    publish(node, "s", "3");
    assertEquals("3", sentinel.next().args().text());
    assertTrue(events.isEmpty());
  }

  @Test
  void aThrowingEventListenerDoesNotStopDeliveryToOthers() throws Exception {
    Node node = node();
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber bad =
        node.pubSub()
            .subscriber(
                evnt -> {
                  throw new IllegalStateException("listener failure (expected by the test)");
                });
    bad.subscribe("c", false);
    node.pubSub().subscriber(events.events()).subscribe("c", false);
    publish(node, "c", "1");
    publish(node, "c", "2");
    assertEquals("1", events.next().args().text());
    assertEquals("2", events.next().args().text());
  }
}
