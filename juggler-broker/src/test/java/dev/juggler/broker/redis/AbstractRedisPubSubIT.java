package dev.juggler.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.Recorder;
import dev.juggler.broker.Subscriber;
import dev.juggler.broker.redis.internal.Keys;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pub-sub through the Redis broker; subclasses run it on one server and on a cluster. */
abstract class AbstractRedisPubSubIT {

  private final Fixture.Backend backend;
  private Fixture fixture;
  private RedisBroker broker;

  AbstractRedisPubSubIT(Fixture.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void setUp() {
    fixture = new Fixture(backend);
    broker = fixture.broker();
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  private void publish(String channel, String args) throws Exception {
    broker.publish(channel, UUID.randomUUID(), new RawJson(args));
  }

  private long redisSubscribers(String channel) {
    return fixture.redisSubscribers(channel);
  }

  @Test
  void aMalformedEventIsDroppedAndCounted() throws Exception {
    Recorder<Evnt> events = Recorder.ofEvents();
    broker.subscriber(events.events()).subscribe("garbled", false);
    fixture.redis().publish(Keys.channel("garbled"), "no newline, no UUID");
    publish("garbled", "\"fine\"");
    assertEquals("\"fine\"", events.next().args().text());
    // on a cluster the two may come through different nodes, in either order
    Fixture.eventually("decode failure counted", () -> broker.stats().payloadDecodeFailures() == 1);
    assertTrue(events.isEmpty());
    assertEquals(1, broker.stats().events());
  }

  @Test
  void subscribingTwiceIsOneSubscription() throws Exception {
    Recorder<Evnt> events = Recorder.ofEvents();
    Subscriber subscriber = broker.subscriber(events.events());
    subscriber.subscribe("twice", false);
    subscriber.subscribe("twice", false);
    assertEquals(1, redisSubscribers("twice"));

    publish("twice", "1");
    publish("twice", "2");
    assertEquals("1", events.next().args().text());
    assertEquals("2", events.next().args().text());
    assertTrue(events.isEmpty());

    subscriber.unsubscribe("twice", false); // one unsubscribe undoes both subscribes
    Fixture.eventually("Redis unsubscribed", () -> redisSubscribers("twice") == 0);
  }

  @Test
  void subscriptionsAreReferenceCounted() throws Exception {
    Recorder<Evnt> first = Recorder.ofEvents();
    Recorder<Evnt> second = Recorder.ofEvents();
    Subscriber s1 = broker.subscriber(first.events());
    Subscriber s2 = broker.subscriber(second.events());
    s1.subscribe("shared", false);
    s2.subscribe("shared", false);
    s1.subscribe("p.*", true);
    s2.subscribe("p.*", true);
    assertEquals(1, redisSubscribers("shared"), "one Redis subscription for the node");
    assertEquals(1, fixture.redisPatterns(), "one Redis pattern subscription for the node");

    s1.unsubscribe("shared", false);
    s1.close();
    publish("shared", "1");
    publish("p.x", "2");
    assertEquals("1", second.next().args().text());
    assertEquals("2", second.next().args().text());
    assertTrue(first.isEmpty());
    assertEquals(1, redisSubscribers("shared"));

    s2.close();
    Fixture.eventually(
        "the last subscriber's leaving unsubscribes Redis",
        () -> redisSubscribers("shared") == 0 && fixture.redisPatterns() == 0);
  }
}
