package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.TestRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A server process ({@code target/juggler.jar}, with its callees) started while its Redis is down:
 * it starts, says it is not ready, answers requests with NACK 503, and serves once Redis appears,
 * without a restart. Its Redis is a private one of this test, so that the other tests' keeps
 * running.
 */
class StartupWithoutRedisIT {

  @Test
  void startsWithoutRedisAndServesWhenRedisAppears() {
    try (TestRedis redis = TestRedis.launch()) {
      redis.stop();
      try (JugglerProcess node =
          JugglerProcess.server(
              "no-redis-at-start",
              "JUGGLER_REDIS_URL",
              redis.uri().toString(),
              "JUGGLER_CALLEE_WORKERS",
              "2")) {
        node.awaitStarted();
        node.awaitLine("Juggler server not ready: Redis at", JugglerProcess.START_WAIT);
        node.awaitLine(
            "Juggler server started at /ws, waiting for Redis", JugglerProcess.START_WAIT);

        try (WsClient c = WsClient.connectTo(node.endpoint())) {
          String down = c.call("test.echo", "\"down\"", Duration.ofSeconds(5));
          nack(c.next(Duration.ofSeconds(6)), down, 1, 503);

          redis.start();
          node.awaitLine("Juggler server ready: Redis answers", Waits.SOON);

          Frames.subscribed(c, "startup.news", false);
          String pub = c.pub("startup.news", "\"hello\"");
          int acks = 0;
          int events = 0;
          for (int i = 0; i < 2; i++) {
            int type = Frames.type(c.next());
            acks += type == Frames.ACK ? 1 : 0;
            events += type == Frames.EVNT ? 1 : 0;
          }
          assertEquals(1, acks, "PUB " + pub + " acknowledged");
          assertEquals(1, events, "event delivered");

          // The callees started without Redis too; they back off (at most 5 s) and then serve.
          String up = c.call("test.echo", "\"up\"", Waits.SOON);
          ack(c.next(), up, 1);
          assertEquals("up", Frames.res(c.next(Waits.SOON), up, "test.echo").getString("args"));
        }
      }
    }
  }
}
