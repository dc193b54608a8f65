package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.published;
import static dev.juggler.it.support.Frames.subscribed;
import static dev.juggler.it.support.Frames.unsubscribed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SUB, UNSB, PUB and EVNT end to end through Redis pub-sub. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class PubSubIT {

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  private static String unique(String base) {
    return base + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void channelAndPatternSubscriptionsAsInTheCapturedExchange() {
    String news = unique("news");
    String pattern = news.substring(0, news.length() - 2) + "*";
    try (WsClient c = WsClient.connect()) {
      String s1 = c.sub(news, false);
      JsonObject a1 = ack(c.next(), s1, 3);
      assertEquals(news, a1.getString("channel"));
      String s2 = c.sub(pattern, true);
      assertEquals(pattern, ack(c.next(), s2, 3).getString("channel"));

      String pub = c.pub(news, "{\"hello\":\"world\"}");
      List<JsonObject> frames = c.next(3);
      int withPattern = 0;
      int plain = 0;
      boolean acked = false;
      for (JsonObject f : frames) {
        JsonObject p = Frames.payload(f);
        if (Frames.type(f) == Frames.ACK) {
          ack(f, pub, 2);
          assertEquals(news, p.getString("channel"));
          acked = true;
          continue;
        }
        Frames.expect(f, Frames.EVNT);
        assertEquals(pub, p.getString("for"));
        assertEquals(news, p.getString("channel"));
        assertEquals(Json.createObjectBuilder().add("hello", "world").build(), p.get("args"));
        if (p.containsKey("pattern")) {
          assertEquals(pattern, p.getString("pattern"));
          withPattern++;
        } else {
          plain++;
        }
      }
      assertTrue(acked, "PUB is acknowledged");
      assertEquals(1, withPattern, "one event through the pattern");
      assertEquals(1, plain, "one event through the channel");
    }
  }

  @Test
  void eventArgsReachSubscribersByteForByte() {
    String channel = unique("raw");
    String args = "{\"n\":123456789012345678901234567890.5e-3,\"s\":\"\\u00e9\\n\",\"k\":[1,{}]}";
    try (WsClient sub = WsClient.connect();
        WsClient pub = WsClient.connect()) {
      subscribed(sub, channel, false);
      String id = pub.pub(channel, args);
      ack(pub.next(), id, 2);
      String raw = sub.nextRaw(Duration.ofSeconds(5));
      assertTrue(raw.contains("\"args\":" + args), raw);
    }
  }

  @Test
  void globPatternsFollowRedisRules() {
    String base = unique("glob");
    try (WsClient sub = WsClient.connect();
        WsClient pub = WsClient.connect()) {
      subscribed(sub, base + ".[ab]?", true);
      for (String suffix : List.of("ax", "cx", "bxx", "by")) {
        published(pub, base + "." + suffix, "\"" + suffix + "\"");
      }
      Set<String> got = new HashSet<>();
      for (int i = 0; i < 2; i++) {
        got.add(Frames.payload(sub.next()).getString("args"));
      }
      assertEquals(Set.of("ax", "by"), got);
      assertNull(sub.next(Duration.ofMillis(500)), "only the matching channels' events");
    }
  }

  @Test
  void unsubscribeStopsEvents() {
    String channel = unique("unsb");
    try (WsClient sub = WsClient.connect();
        WsClient pub = WsClient.connect()) {
      subscribed(sub, channel, false);
      published(pub, channel, "1");
      Frames.expect(sub.next(), Frames.EVNT);
      String u = sub.unsb(channel, false);
      assertEquals(channel, ack(sub.next(), u, 4).getString("channel"));
      published(pub, channel, "2");
      assertNull(sub.next(Duration.ofMillis(500)), "no event after UNSB");
      // unsubscribing from something not subscribed is acknowledged too
      unsubscribed(sub, channel + ".never", true);
    }
  }

  @Test
  void everySubscriberGetsEveryEventInPublishOrder() {
    String channel = unique("order");
    int events = 500;
    List<WsClient> subs = new ArrayList<>();
    try (WsClient pub = WsClient.connect()) {
      for (int i = 0; i < 3; i++) {
        WsClient s = WsClient.connect();
        subs.add(s);
        subscribed(s, channel, false);
      }
      for (int i = 0; i < events; i++) {
        pub.pub(channel, Integer.toString(i));
      }
      for (int i = 0; i < events; i++) {
        assertEquals(Frames.ACK, Frames.type(pub.next()));
      }
      for (WsClient s : subs) {
        for (int i = 0; i < events; i++) {
          JsonObject p = Frames.expect(s.next(), Frames.EVNT);
          assertEquals(i, p.getInt("args"), "events in publish order");
        }
      }
    } finally {
      subs.forEach(WsClient::close);
    }
  }

  @Test
  void closedSubscriberDoesNotDisturbOthers() {
    String channel = unique("shared");
    try (WsClient stays = WsClient.connect();
        WsClient pub = WsClient.connect()) {
      subscribed(stays, channel, false);
      WsClient leaves = WsClient.connect();
      subscribed(leaves, channel, false);
      leaves.close();
      assertFalse(stays.isClosed());
      published(pub, channel, "\"after\"");
      assertEquals("after", Frames.payload(stays.next()).getString("args"));
    }
  }
}
