package dev.juggler.broker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.GlobCases;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Asks a real Redis, by PSUBSCRIBE then PUBLISH (which answers how many subscriptions got the
 * message), whether patterns match: the table's answers must be Redis', and the matcher must agree
 * with Redis on random patterns made of the special characters.
 */
@ExtendWith(RedisExtension.class)
class RedisGlobIT {

  /** The probe's connection subscribes here first, to enter subscribed mode; never published. */
  private static final String IDLE_CHANNEL = "juggler-glob-probe-idle";

  private final TestRedis redis;
  private Jedis publisher;
  private Jedis subscriber;
  private Thread loop;
  private final BlockingQueue<String> confirmations = new LinkedBlockingQueue<>();
  private final JedisPubSub pubSub =
      new JedisPubSub() {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
          confirmations.add("ready");
        }

        @Override
        public void onPSubscribe(String pattern, int subscribedChannels) {
          confirmations.add("+" + pattern);
        }

        @Override
        public void onPUnsubscribe(String pattern, int subscribedChannels) {
          confirmations.add("-" + pattern);
        }
      };

  RedisGlobIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void connect() throws Exception {
    publisher = new Jedis(redis.host(), redis.port());
    subscriber = new Jedis(redis.host(), redis.port());
    loop = new Thread(() -> subscriber.subscribe(pubSub, IDLE_CHANNEL), "glob-probe");
    loop.setDaemon(true);
    loop.start();
    await("ready");
  }

  @AfterEach
  void disconnect() throws Exception {
    pubSub.unsubscribe();
    loop.join(5_000);
    subscriber.close();
    publisher.close();
  }

  private void await(String confirmation) throws InterruptedException {
    String got = confirmations.poll(5, TimeUnit.SECONDS);
    assertEquals(confirmation, got, "Redis confirmation");
  }

  /** Whether Redis delivers a message published on {@code channel} to {@code pattern}. */
  private boolean redisMatches(String pattern, String channel) throws InterruptedException {
    pubSub.psubscribe(pattern);
    await("+" + pattern);
    long receivers = publisher.publish(channel, "x");
    pubSub.punsubscribe(pattern);
    await("-" + pattern);
    return receivers == 1;
  }

  @Test
  void theTableHoldsRedisAnswers() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (GlobCases.Case c : GlobCases.all()) {
      if (redisMatches(c.pattern(), c.channel()) != c.matches()) {
        wrong.add(c.toString());
      }
    }
    assertTrue(wrong.isEmpty(), "Redis disagrees with " + wrong);
  }

  @Test
  void theMatcherAgreesWithRedisOnRandomPatterns() throws Exception {
    Random random = new Random(20_240_601);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      String pattern = randomString(random, "ab*?[]^-\\é", 1 + random.nextInt(7));
      String channel = randomString(random, "ab]^-\\[*?é", random.nextInt(7));
      boolean redisSays = redisMatches(pattern, channel);
      if (new RedisGlob(pattern).matches(channel) != redisSays) {
        wrong.add("'" + pattern + "' vs '" + channel + "': Redis says " + redisSays);
      }
    }
    assertTrue(wrong.isEmpty(), "the matcher disagrees with Redis: " + wrong);
  }

  private static String randomString(Random random, String alphabet, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
