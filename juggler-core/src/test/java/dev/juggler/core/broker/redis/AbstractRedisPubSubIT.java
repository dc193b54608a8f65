package dev.juggler.core.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.core.broker.Subscriber;
import dev.juggler.core.message.Evnt;
import dev.juggler.core.message.RawJson;
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
  void channelSubscriptionGetsEventsWithArgsIntact() throws Exception {
    Fixture.Recorder<Evnt> events = Fixture.eventRecorder();
    Subscriber subscriber = broker.subscriber(events.events());
    subscriber.subscribe("news", false);

    UUID pubUuid = UUID.randomUUID();
    broker.publish("news", pubUuid, new RawJson(AbstractRedisRpcIT.TRICKY_ARGS));
    Evnt evnt = events.next();
    assertEquals(pubUuid, evnt.forUuid());
    assertEquals("news", evnt.channel());
    assertNull(evnt.pattern());
    assertEquals(AbstractRedisRpcIT.TRICKY_ARGS, evnt.args().text());
  }

  @Test
  void patternSubscriptionSetsThePattern() throws Exception {
    Fixture.Recorder<Evnt> events = Fixture.eventRecorder();
    Subscriber subscriber = broker.subscriber(events.events());
    subscriber.subscribe("news.*", true);

    publish("news.sports", "1");
    publish("weather", "2");
    publish("news.arts", "3");
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
    Fixture.Recorder<Evnt> events = Fixture.eventRecorder();
    Subscriber subscriber = broker.subscriber(events.events());
    subscriber.subscribe("news", false);
    subscriber.subscribe("new*", true);

    publish("news", "{\"hello\":\"world\"}");
    Evnt a = events.next();
    Evnt b = events.next();
    assertEquals(a.forUuid(), b.forUuid());
    assertTrue((a.pattern() == null) != (b.pattern() == null), "one per subscription");
  }

  @Test
  void subscribingTwiceIsOneSubscription() throws Exception {
    Fixture.Recorder<Evnt> events = Fixture.eventRecorder();
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
  void unsubscribeStopsDelivery() throws Exception {
    Fixture.Recorder<Evnt> events = Fixture.eventRecorder();
    Subscriber subscriber = broker.subscriber(events.events());
    subscriber.subscribe("a", false);
    subscriber.subscribe("sentinel", false);
    publish("a", "1");
    assertEquals("1", events.next().args().text());

    subscriber.unsubscribe("a", false);
    subscriber.unsubscribe("never-subscribed", false);
    publish("a", "2");
    publish("sentinel", "3");
    // One connection, one thread: events come in publish order, so "2" would have come first.
    assertEquals("3", events.next().args().text());
    assertTrue(events.isEmpty());
  }

  @Test
  void subscriptionsAreReferenceCounted() throws Exception {
    Fixture.Recorder<Evnt> first = Fixture.eventRecorder();
    Fixture.Recorder<Evnt> second = Fixture.eventRecorder();
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

  @Test
  void eventsFromOnePublisherArriveInOrder() throws Exception {
    Fixture.Recorder<Evnt> events = Fixture.eventRecorder();
    Subscriber subscriber = broker.subscriber(events.events());
    subscriber.subscribe("ordered", false);
    RedisBroker publisher = fixture.broker();
    for (int i = 0; i < 2_000; i++) {
      publisher.publish("ordered", UUID.randomUUID(), new RawJson(Integer.toString(i)));
    }
    for (int i = 0; i < 2_000; i++) {
      assertEquals(Integer.toString(i), events.next().args().text());
    }
  }

  @Test
  void aThrowingListenerDoesNotStopDeliveryToOthers() throws Exception {
    Fixture.Recorder<Evnt> events = Fixture.eventRecorder();
    Subscriber bad =
        broker.subscriber(
            evnt -> {
              throw new IllegalStateException("listener failure (expected by the test)");
            });
    Subscriber good = broker.subscriber(events.events());
    bad.subscribe("c", false);
    good.subscribe("c", false);
    publish("c", "1");
    publish("c", "2");
    assertEquals("1", events.next().args().text());
    assertEquals("2", events.next().args().text());
  }

  @Test
  void closedSubscriberGetsNothingMore() throws Exception {
    Fixture.Recorder<Evnt> events = Fixture.eventRecorder();
    Fixture.Recorder<Evnt> sentinel = Fixture.eventRecorder();
    Subscriber subscriber = broker.subscriber(events.events());
    subscriber.subscribe("x", false);
    subscriber.subscribe("x.*", true);
    broker.subscriber(sentinel.events()).subscribe("s", false);
    subscriber.close();
    subscriber.close();
    publish("x", "1");
    publish("x.y", "2");
    publish("s", "3");
    assertEquals("3", sentinel.next().args().text());
    assertTrue(events.isEmpty());
  }
}
