package dev.juggler.core.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.core.broker.Subscriber;
import dev.juggler.core.message.Evnt;
import dev.juggler.core.message.RawJson;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * Pub-sub on Redis as Redis sees it: one Redis subscription per node and topic. What every broker
 * does is in {@link dev.juggler.core.broker.BrokerContract}, run on Redis by {@link
 * RedisBrokerContractIT}.
 */
@ExtendWith(RedisExtension.class)
class RedisPubSubIT {

  private final TestRedis redis;
  private Fixture fixture;
  private RedisBroker broker;
  private Jedis jedis;

  RedisPubSubIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void setUp() {
    redis.flushAll();
    fixture = new Fixture(redis);
    broker = fixture.broker();
    jedis = fixture.jedis();
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  private void publish(String channel, String args) throws Exception {
    broker.publish(channel, UUID.randomUUID(), new RawJson(args));
  }

  private long redisSubscribers(String channel) {
    Map<String, Long> counts = jedis.pubsubNumSub("juggler:ch:" + channel);
    return counts.getOrDefault("juggler:ch:" + channel, 0L);
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
    assertEquals(1, jedis.pubsubNumPat(), "one Redis pattern subscription for the node");

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
        () -> redisSubscribers("shared") == 0 && jedis.pubsubNumPat() == 0);
  }
}
