package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static dev.juggler.it.support.Frames.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The read timeout, the write limit and the subscription limit, on a deployment configured with
 * small ones; the longest pattern a SUB may name.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class LimitsIT {
  private static final int WRITE_LIMIT = 2_000;
  private static final int SUBSCRIPTION_LIMIT = 3;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.server.read-timeout",
        // long enough that a test's connection waiting for an answer on a loaded machine is not
        // taken for a silent one
        "3000",
        "juggler.server.write-limit",
        Integer.toString(WRITE_LIMIT),
        "juggler.server.subscription-limit",
        Integer.toString(SUBSCRIPTION_LIMIT));
  }

  private static void echo(WsClient c, String arg) {
    String id = c.call("test.echo", WsClient.quote(arg), Waits.SOON);
    ack(c.next(), id, 1);
    res(c.next(), id, "test.echo");
  }

  @Test
  void silentConnectionIsClosedAfterTheReadTimeoutWhileActiveOnesStay() throws Exception {
    double before = Server.metric("ReadTimeouts");
    try (WsClient silent = WsClient.connect();
        WsClient active = WsClient.connect()) {
      WsClient.Close close = null;
      long deadline = Waits.deadline();
      for (int i = 0; close == null && System.nanoTime() < deadline; i++) {
        echo(active, "keep-alive " + i); // reads reset the timer; the writes to `silent` do not
        close = silent.awaitClose(Duration.ofMillis(300));
      }
      assertNotNull(close, "the silent connection is closed");
      assertEquals(1008, close.code());
      assertEquals("read timeout", close.reason());
      assertFalse(active.isClosed(), "a connection that keeps sending stays open");
      echo(active, "still open");
    }
    assertEquals(before + 1, Server.metric("ReadTimeouts"));
  }

  @Test
  void messageOverTheWriteLimitClosesTheConnection() throws Exception {
    double before = Server.metric("WriteLimitExceeded");
    try (WsClient c = WsClient.connect()) {
      echo(c, "x".repeat(WRITE_LIMIT / 2)); // the RES fits
      String id = c.call("test.echo", WsClient.quote("x".repeat(WRITE_LIMIT)), Waits.SOON);
      ack(c.next(), id, 1);
      WsClient.Close close = c.awaitClose(Waits.SOON);
      assertNotNull(close, "the RES over the write limit closes the connection");
      assertEquals(1009, close.code());
    }
    assertEquals(before + 1, Server.metric("WriteLimitExceeded"));
  }

  @Test
  void aSubPastTheSubscriptionLimitGets429AndReachesNoRedis(TestRedis redis) {
    try (WsClient c = WsClient.connect();
        Jedis jedis = new Jedis(redis.host(), redis.port())) {
      Frames.subscribed(c, "limit.a", false);
      Frames.subscribed(c, "limit.b.*", true);
      Frames.subscribed(c, "limit.a", true); // a pattern: not the channel of the same name
      long patterns = jedis.pubsubNumPat();
      String refused = c.sub("limit.c.*", true);
      JsonObject nack = nack(c.next(), refused, 3, 429);
      assertEquals(
          "subscription limit reached: at most 3 per connection", nack.getString("message"));
      assertEquals(patterns, jedis.pubsubNumPat(), "the refused pattern never reached Redis");
      Frames.subscribed(c, "limit.a", false); // held already: nothing grows, not refused
      try (WsClient other = WsClient.connect()) {
        Frames.subscribed(other, "limit.c.*", true); // the limit is per connection
      }
      Frames.unsubscribed(c, "limit.b.*", true);
      Frames.subscribed(c, "limit.c.*", true); // room again
      String full = c.sub("limit.d", false);
      nack(c.next(), full, 3, 429);
    }
  }

  @Test
  void aPatternLongerThan256CharactersGets400() {
    String tooLong = "p." + "x".repeat(254) + "*"; // 257 characters
    try (WsClient c = WsClient.connect()) {
      String id = c.sub(tooLong, true);
      assertEquals(
          "pattern is longer than 256 characters", nack(c.next(), id, 3, 400).getString("message"));
      Frames.subscribed(c, tooLong, false); // a channel may be longer
      Frames.subscribed(c, tooLong.substring(1), true); // 256 characters
    }
  }
}
