package dev.juggler.broker.redis;

import static dev.juggler.broker.redis.Fixture.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Recorder;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

@ExtendWith(RedisExtension.class)
class RedisOutageIT {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final TestRedis redis;
  private Fixture fixture;

  RedisOutageIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void setUp() {
    fixture = new Fixture(redis);
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      fixture.close();
    } finally {
      redis.start(); // in case a failed assertion left it stopped
    }
  }

  @Test
  void commandsFailFastWhileRedisIsDownAndEverythingRecoversAfter() throws Exception {
    RedisBroker node = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    RedisBroker callee = fixture.broker(fixture.config().withTimeout(TIMEOUT));
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    Recorder<Evnt> events = Recorder.ofEvents();
    node.results(conn, results.results());
    Subscriber subscriber = node.subscriber(events.events());
    subscriber.subscribe("news", false);
    subscriber.subscribe("alerts.*", true);
    roundTrip(node, callee, conn, results, "\"before\"");

    long nodeErrors = node.stats().brokerErrors();
    long calleeErrors = callee.stats().brokerErrors();
    redis.stop();
    // Sent on a pooled connection the stop closed: no answer, so the outcome is unknown (504);
    // 503 when the pool was already cleared and the connection was refused.
    assertRefused(() -> node.call(call(conn, "f", "1", LONG)), 503, 504);
    assertUnavailable(() -> node.publish("news", UUID.randomUUID(), RawJson.NULL));
    assertRefused(() -> callee.take(List.of("f"), WAIT), 503, 504);
    assertUnavailable(() -> node.subscriber(evnt -> {}).subscribe("during-outage", false));
    assertEquals(1, callee.stats().brokerErrors() - calleeErrors);
    // the three requests, and the sessions of the results and pub-sub loops that broke
    assertTrue(node.stats().brokerErrors() - nodeErrors >= 3, node.stats().toString());
    long callsBefore = node.stats().calls();

    redis.start();
    // Redis restarted empty: scripts are loaded again, the loops reconnect and re-subscribe.
    Fixture.eventually(
        "the pub-sub loop re-subscribed",
        () -> {
          try {
            return fixture.jedis().pubsubNumSub("juggler:ch:news").get("juggler:ch:news") == 1
                && fixture.jedis().pubsubNumPat() == 1;
          } catch (RuntimeException e) {
            return false;
          }
        });
    // until the node has the confirmations too, its own PUBs are refused (503), not lost
    Fixture.eventually("a PUB is accepted", () -> published(node, "news", "\"after\""));
    node.publish("alerts.fire", UUID.randomUUID(), new RawJson("\"alert\""));
    assertEquals("\"after\"", events.next().args().text());
    Evnt alert = events.next();
    assertEquals("alerts.*", alert.pattern());
    assertEquals("\"alert\"", alert.args().text());
    // the callee's breaker, opened by its failed take, closes once its probe is answered
    Fixture.eventually("the callee reaches Redis again", callee::ping);
    roundTrip(node, callee, conn, results, "\"after\"");
    assertEquals(callsBefore + 1, node.stats().calls(), "refused calls are not counted");
  }

  private static void roundTrip(
      RedisBroker node, RedisBroker callee, UUID conn, Recorder<Res> results, String args)
      throws Exception {
    node.call(call(conn, "f", args, LONG));
    IncomingCall c = callee.take(List.of("f"), WAIT);
    assertTrue(callee.result(c, c.args()));
    assertEquals(args, results.next().args().text());
  }

  private static boolean published(RedisBroker node, String channel, String args) {
    try {
      node.publish(channel, UUID.randomUUID(), new RawJson(args));
      return true;
    } catch (BrokerException e) {
      assertEquals(503, e.code(), e.toString());
      return false;
    }
  }

  /** The operation fails with 503 within the configured timeout (plus slack for a busy host). */
  private static void assertUnavailable(Executable operation) {
    assertRefused(operation, 503, 503);
  }

  /** The operation fails with one of the codes within the timeout (plus slack for a busy host). */
  private static void assertRefused(Executable operation, int code, int otherCode) {
    BrokerException e = Fixture.refusedWithin(TIMEOUT, operation);
    assertTrue(e.code() == code || e.code() == otherCode, "code " + e.code());
  }
}
