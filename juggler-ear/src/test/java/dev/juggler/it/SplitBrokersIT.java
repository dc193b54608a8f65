package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A server process whose calls and pub-sub go to two different Redis servers, and one whose
 * settings contradict each other. Both Redis servers are private to this test.
 */
class SplitBrokersIT {

  @Test
  void callsAndPubSubUseTheirOwnRedisAndInvalidCombinationsFailTheDeployment() {
    try (TestRedis calls = TestRedis.launch();
        TestRedis events = TestRedis.launch();
        JugglerProcess split =
            JugglerProcess.server(
                "split-brokers",
                "JUGGLER_REDIS_CALLER_URL",
                calls.uri().toString(),
                "JUGGLER_REDIS_PUBSUB_URL",
                events.uri().toString(),
                "JUGGLER_CALLEE_WORKERS",
                "2");
        JugglerProcess invalid =
            JugglerProcess.server(
                "split-brokers-invalid",
                "JUGGLER_REDIS_URL",
                calls.uri().toString(),
                "JUGGLER_REDIS_CLUSTER_NODES",
                "127.0.0.1:7000")) {
      split.awaitStarted().awaitLine("calls: Redis at " + calls.uri(), JugglerProcess.START_WAIT);
      try (WsClient c = WsClient.connectTo(split.endpoint())) {
        String id = c.call("test.echo", "\"split\"", Waits.SOON);
        ack(c.next(), id, 1);
        assertEquals("split", Frames.res(c.next(), id, "test.echo").getString("args"));
        Frames.subscribed(c, "split.news", false);
        String pub = c.pub("split.news", "1");
        List<JsonObject> frames = c.next(2);
        assertTrue(frames.stream().anyMatch(f -> Frames.type(f) == Frames.EVNT), "event " + pub);
      }
      List<String> onCalls = clientNames(calls);
      List<String> onEvents = clientNames(events);
      assertTrue(onCalls.stream().anyMatch("juggler-results"::equals), "" + onCalls);
      assertFalse(onCalls.stream().anyMatch("juggler-pubsub"::equals), "" + onCalls);
      assertTrue(onEvents.stream().anyMatch("juggler-pubsub"::equals), "" + onEvents);
      assertFalse(onEvents.stream().anyMatch("juggler-results"::equals), "" + onEvents);

      String failure = invalid.awaitLine("juggler.redis.cluster.nodes", JugglerProcess.START_WAIT);
      assertTrue(failure.contains("juggler.redis.url"), failure);
      invalid.awaitLine(
          "CWWKZ0002E: An exception occurred while starting the application juggler",
          JugglerProcess.START_WAIT);
    }
  }

  /** The names the clients of a Redis server gave themselves. */
  private static List<String> clientNames(TestRedis redis) {
    try (Jedis jedis = new Jedis(redis.uri())) {
      return Arrays.stream(jedis.clientList().split("\n"))
          .flatMap(line -> Arrays.stream(line.split(" ")))
          .filter(field -> field.startsWith("name="))
          .map(field -> field.substring("name=".length()))
          .collect(Collectors.toList());
    }
  }
}
