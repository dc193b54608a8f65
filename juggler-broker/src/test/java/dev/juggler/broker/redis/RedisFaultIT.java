package dev.juggler.broker.redis;

import static dev.juggler.broker.redis.Fixture.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Recorder;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.NackCode;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.SilentProxy;
import dev.juggler.test.redis.TestRedis;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * What the Redis broker promises when Redis stalls (SIGSTOP) or crashes (SIGKILL): a request sent
 * and not answered in time is refused with 504 and never carried out later; while Redis did not
 * answer lately, requests fail fast with 503 without being sent; a node does not accept PUBs before
 * its own subscriptions are back after a crash.
 */
@ExtendWith(RedisExtension.class)
class RedisFaultIT {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration OUTAGE = Duration.ofSeconds(1);

  private final TestRedis redis;
  private Fixture fixture;

  RedisFaultIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void setUp() {
    fixture = new Fixture(redis);
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      redis.thaw(); // in case a failed assertion left it frozen
    } catch (RuntimeException e) {
      // not running: started below
    }
    try {
      fixture.close();
    } finally {
      redis.start();
    }
  }

  @Test
  void requestsUnansweredWhileRedisIsFrozenFailAndNeverTakeEffectLater() throws Exception {
    RedisBroker node = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    RedisBroker publisher = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    UUID conn = UUID.randomUUID();
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = node.subscriber(events.events());
    subscriber.subscribe("news", false);
    node.call(call(conn, "warm", "0", LONG)); // pooled connection and clock sample in place
    publisher.publish("news", UUID.randomUUID(), new RawJson("\"warm\""));
    assertEquals("\"warm\"", events.next().args().text());

    redis.freeze();
    List<BrokerException> refusals = new ArrayList<>();
    try {
      refusals.add(refused(() -> node.call(call(conn, "f", "\"lost call\"", LONG))));
      refusals.add(
          refused(() -> publisher.publish("news", UUID.randomUUID(), new RawJson("\"lost\""))));
      refusals.add(refused(() -> node.call(call(conn, "f", "\"fast\"", LONG))));
      refusals.add(
          refused(() -> publisher.publish("news", UUID.randomUUID(), new RawJson("\"fast\""))));
      // past the act-by of what was sent: Redis runs it only once thawed, too late
      Thread.sleep(TIMEOUT.toMillis());
    } finally {
      redis.thaw();
    }
    assertEquals(NackCode.OUTCOME_UNKNOWN, refusals.get(0).code(), "sent, never answered");
    assertEquals(NackCode.OUTCOME_UNKNOWN, refusals.get(1).code(), "sent, never answered");
    // Each failure opened its broker's breaker: later requests are refused at once, unsent,
    // while a probe waits for the frozen server.
    assertEquals(NackCode.UNAVAILABLE, refusals.get(2).code(), refusals.get(2).toString());
    assertEquals(NackCode.UNAVAILABLE, refusals.get(3).code(), refusals.get(3).toString());

    Fixture.eventually("Redis answers again", () -> published(publisher, "\"after\""));
    assertEquals("\"after\"", events.next().args().text(), "a refused PUB was never published");
    assertEquals(0, fixture.jedis().llen("juggler:calls:{f}"), "a refused CALL was never queued");
    Fixture.eventually("the node's breaker closed", () -> called(node, conn));
  }

  @Test
  void aCalleeStoringAndTakingWhileRedisIsFrozenIsToldAndRecovers() throws Exception {
    RedisBroker node = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    RedisBroker callee = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    Duration wait = Duration.ofMillis(200);
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.results(conn, results.results());
    node.call(call(conn, "f", "1", LONG));
    node.call(call(conn, "f", "2", LONG));
    List<IncomingCall> taken = new ArrayList<>();
    while (taken.size() < 2) {
      taken.addAll(callee.take(List.of("f"), LONG, 2));
    }

    List<Object> told = new CopyOnWriteArrayList<>();
    List<CalleeBroker.Finished> finished = new ArrayList<>();
    for (IncomingCall call : taken) {
      finished.add(new CalleeBroker.Finished(call, RawJson.NULL, Fixture.reportInto(told)));
    }
    redis.freeze();
    BrokerException refused;
    try {
      // the round trip (two result.lua, BLPOP, LPOP, TIME) is sent and never answered: bounded
      // by the command timeout plus the take's wait
      refused =
          Fixture.refusedWithin(
              TIMEOUT.plus(wait), () -> callee.resultsThenTake(finished, List.of("f"), wait, 4));
    } finally {
      redis.thaw();
    }
    assertEquals(NackCode.OUTCOME_UNKNOWN, refused.code(), refused.toString());
    assertEquals(2, told.size(), "told " + told);
    for (Object outcome : told) {
      assertTrue(
          outcome instanceof BrokerException b && b.code() == NackCode.OUTCOME_UNKNOWN,
          "each store's outcome is unknown: " + told);
    }

    // The callee goes on once Redis answers: its next call is stored and delivered.
    Fixture.eventually("the callee's breaker closed", () -> called(callee, conn));
    node.call(call(conn, "f", "3", LONG));
    IncomingCall second = callee.take(List.of("f"), LONG);
    assertTrue(callee.result(second, new RawJson("\"after\"")));
    Res res = results.next();
    while (!res.forUuid().equals(second.callUuid())) {
      res = results.next(); // the frozen round trip's results, stored once Redis ran it, in time
    }
    assertEquals("\"after\"", res.args().text());
  }

  @Test
  void aNodeRefusesPubsUntilItsSubscriptionsAreBackAfterACrash() throws Exception {
    RedisBroker node = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    Recorder<Evnt> events = Recorder.ofEvents();
    subscribedToNews(node, node, events);

    redis.crash();
    BrokerException down =
        assertThrows(
            BrokerException.class,
            () -> node.publish("news", UUID.randomUUID(), new RawJson("\"down\"")));
    assertTrue(down.code() == 503 || down.code() == 504, down.toString());
    // long enough an outage for the pub-sub loop's backoff to grow past the restart's duration
    Thread.sleep(OUTAGE.toMillis());
    redis.start();
    // Whether a PUB comes before the pub-sub loop is back depends on timing (the test below makes
    // that window on purpose); whichever comes first, no ACKed PUB may miss the node.
    List<String> acked = publishUntilAcked(node, 20);
    for (String expected : acked) {
      assertEquals(expected, events.next().args().text(), "every ACKed PUB reaches the node");
    }
  }

  /**
   * The node's pub-sub connection is cut and Redis refuses its SUBSCRIBE (an ACL change), so its
   * subscriptions stay lost for as long as the test wants: every PUB is refused meanwhile, though
   * Redis itself would take it, since its event would miss the node's own subscribers. Once Redis
   * takes SUBSCRIBE again, the loop subscribes again and PUBs are ACKed and delivered.
   */
  @Test
  void aNodeRefusesPubsWhileItsSubscriptionsAreNotBack() throws Exception {
    RedisBroker node = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    Recorder<Evnt> events = Recorder.ofEvents();
    subscribedToNews(node, node, events);

    Jedis admin = fixture.jedis();
    admin.aclSetUser("default", "-subscribe", "-psubscribe");
    try {
      admin.clientKill(new ClientKillParams().type(ClientType.PUBSUB));
      // A PUB in flight when the connection was lost is answered 504 (its outcome is unknown);
      // from then on the node knows, and refuses with 503.
      Fixture.eventually(
          "the node knows its pub-sub connection is lost", () -> refusedAsUnavailable(node));
      for (int i = 0; i < 10; i++) {
        BrokerException e =
            assertThrows(
                BrokerException.class,
                () -> node.publish("news", UUID.randomUUID(), new RawJson("\"refused\"")));
        assertEquals(NackCode.UNAVAILABLE, e.code(), e.toString());
      }
    } finally {
      admin.aclSetUser("default", "+subscribe", "+psubscribe");
    }
    List<String> acked = publishUntilAcked(node, 5);
    for (String expected : acked) {
      assertEquals(expected, events.next().args().text(), "every ACKed PUB reaches the node");
    }
  }

  /**
   * Subscribes {@code node} to "news" for {@code events} and checks, with a first event "0" from
   * {@code publisher}, that events reach it; returns its subscriber.
   */
  private static Subscriber subscribedToNews(
      RedisBroker node, RedisBroker publisher, Recorder<Evnt> events) throws Exception {
    Subscriber subscriber = node.subscriber(events.events());
    subscriber.subscribe("news", false);
    publisher.publish("news", UUID.randomUUID(), new RawJson("0"));
    assertEquals("0", events.next().args().text());
    return subscriber;
  }

  /** A node whose every Redis connection goes through {@code proxy}. */
  private RedisBroker nodeThrough(SilentProxy proxy) {
    URI viaProxy = URI.create("redis://" + redis.host() + ":" + proxy.port());
    return fixture.broker(
        fixture.config().withTarget(new RedisTarget.Standalone(viaProxy)).withTimeout(TIMEOUT));
  }

  /**
   * Publishes 1, 2, 3… to "news", retrying refusals as a client would, until {@code n} are ACKed.
   */
  private static List<String> publishUntilAcked(RedisBroker node, int n) throws Exception {
    List<String> acked = new ArrayList<>();
    for (int i = 1; acked.size() < n; i++) {
      try {
        node.publish("news", UUID.randomUUID(), new RawJson(Integer.toString(i)));
        acked.add(Integer.toString(i));
      } catch (BrokerException e) {
        assertTrue(e.code() == 503 || e.code() == 504, e.toString());
        Thread.sleep(5);
      }
    }
    return acked;
  }

  /**
   * A network that drops the packets of the node's pub-sub connection without a reset: nothing
   * tells the node, whose subscribed connection has no read timeout. Its pings go unanswered, so it
   * replaces the connection, subscribes again, and events reach it again.
   */
  @Test
  void aPubSubConnectionThatGoesSilentIsReplaced() throws Exception {
    try (SilentProxy proxy = SilentProxy.to(redis.host(), redis.port())) {
      RedisBroker node = nodeThrough(proxy);
      RedisBroker publisher = fixture.broker(fixture.config().withTimeout(TIMEOUT));
      Recorder<Evnt> events = Recorder.ofEvents();
      subscribedToNews(node, publisher, events);
      long errors = node.stats().brokerErrors();

      proxy.silenceOpenConnections();
      long end = System.nanoTime() + LONG.toNanos();
      Evnt back = null;
      for (int i = 1; back == null; i++) {
        assertTrue(System.nanoTime() < end, "no event reached the node within " + LONG);
        publisher.publish("news", UUID.randomUUID(), new RawJson(Integer.toString(i)));
        back = events.poll(Duration.ofMillis(100));
      }
      assertTrue(node.stats().brokerErrors() > errors, "the silence counts as a broker error");
    }
  }

  /**
   * Redis publishes a PUB of the node, but the event never comes back on the node's pub-sub
   * connection (here that connection's packets are dropped; in production, Redis killed between
   * writing the publisher's answer and writing the event): the node's subscriber misses it, so the
   * PUB is not ACKed but answered 504, outcome unknown, within the timeout. Once the node has
   * replaced its connection, its PUBs are ACKed and reach its subscriber again.
   */
  @Test
  void aPubWhoseEventDoesNotComeBackToTheNodeIsNotAcked() throws Exception {
    pubWhoseEventDoesNotComeBack(false);
  }

  /** The same for a node whose subscriber listens to a pattern matching the PUB's channel. */
  @Test
  void aPubWhoseEventDoesNotComeBackToAPatternOfTheNodeIsNotAcked() throws Exception {
    pubWhoseEventDoesNotComeBack(true);
  }

  private void pubWhoseEventDoesNotComeBack(boolean pattern) throws Exception {
    try (SilentProxy proxy = SilentProxy.to(redis.host(), redis.port())) {
      RedisBroker node = nodeThrough(proxy);
      RedisBroker publisher = fixture.broker(fixture.config().withTimeout(TIMEOUT));
      Recorder<Evnt> events = Recorder.ofEvents();
      if (pattern) {
        node.subscriber(events.events()).subscribe("new?", true);
        publisher.publish("news", UUID.randomUUID(), new RawJson("0"));
        assertEquals("new?", events.next().pattern());
      } else {
        subscribedToNews(node, publisher, events);
      }

      // only the subscribed connection is open: the node's first PUB opens a pooled one after this
      proxy.silenceOpenConnections();
      long start = System.nanoTime();
      BrokerException e =
          assertThrows(
              BrokerException.class,
              () -> node.publish("news", UUID.randomUUID(), new RawJson("lost")));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(NackCode.OUTCOME_UNKNOWN, e.code(), e.toString());
      assertTrue(took.compareTo(TIMEOUT.plus(Fixture.SLACK)) <= 0, "answered after " + took);

      List<String> acked = publishUntilAcked(node, 1);
      Evnt back = events.poll(LONG);
      assertTrue(back != null, "no event reached the node within " + LONG);
      assertEquals(acked.get(0), back.args().text());
    }
  }

  /**
   * While Redis stalls, the first SUB waits for its confirmation and is refused (503) after the
   * timeout; the SUBs after it are refused at once instead of each waiting as long. Once Redis is
   * back, SUBs work again and events flow.
   */
  @Test
  void subsFailFastOnceTheNodeKnowsItsPubSubConnectionIsDown() throws Exception {
    RedisBroker node = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = subscribedToNews(node, node, events);

    redis.freeze();
    try {
      BrokerException first =
          assertThrows(BrokerException.class, () -> subscriber.subscribe("a", false));
      assertEquals(NackCode.UNAVAILABLE, first.code());
      for (String channel : List.of("b", "c", "d")) {
        long start = System.nanoTime();
        BrokerException e =
            assertThrows(BrokerException.class, () -> subscriber.subscribe(channel, false));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(NackCode.UNAVAILABLE, e.code());
        assertTrue(ms < TIMEOUT.toMillis(), "SUB " + channel + " waited " + ms + " ms");
      }
    } finally {
      redis.thaw();
    }
    Fixture.eventually("SUBs served again", () -> subscribed(subscriber, "e"));
    Fixture.eventually("PUBs served again", () -> published(node, "1"));
    assertEquals("1", events.next().args().text());
  }

  private static boolean subscribed(Subscriber subscriber, String channel) {
    try {
      subscriber.subscribe(channel, false);
      return true;
    } catch (BrokerException e) {
      return false;
    }
  }

  private static boolean published(RedisBroker node, String args) {
    try {
      node.publish("news", UUID.randomUUID(), new RawJson(args));
      return true;
    } catch (BrokerException e) {
      return false;
    }
  }

  private static boolean refusedAsUnavailable(RedisBroker node) {
    try {
      node.publish("news", UUID.randomUUID(), new RawJson("\"probe\""));
      return false;
    } catch (BrokerException e) {
      return e.code() == NackCode.UNAVAILABLE;
    }
  }

  private static boolean called(RedisBroker node, UUID conn) {
    try {
      node.call(call(conn, "g", "1", LONG));
      return true;
    } catch (BrokerException e) {
      return false;
    }
  }

  /** The request fails within the timeout (plus slack); at once when it was refused unsent. */
  private static BrokerException refused(org.junit.jupiter.api.function.Executable request) {
    long start = System.nanoTime();
    BrokerException e = Fixture.refusedWithin(TIMEOUT, request);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (e.code() == NackCode.UNAVAILABLE) {
      assertTrue(ms < TIMEOUT.toMillis(), "refused unsent, without waiting: " + ms + " ms");
    }
    return e;
  }
}
