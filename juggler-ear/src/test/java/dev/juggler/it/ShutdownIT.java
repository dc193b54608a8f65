package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.CallQueues;
import dev.juggler.it.support.Frames;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * SIGTERM, as an orchestrator sends it: a callee process lets its calls in flight finish within
 * {@code juggler.callee.shutdown-wait} and interrupts the rest; a server node closes every
 * connection with 1001 and a reason. Both from the runnable jars, on a Redis of their own. (Log
 * lines are not checked: on SIGTERM the JVM resets java.util.logging while the server stops.)
 */
class ShutdownIT {
  private static final int CALL = 1;
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(3);

  @Test
  void calleesFinishCallsInFlightAndTheNodeClosesItsClientsWith1001() throws Exception {
    try (TestRedis redis = TestRedis.launch();
        RedisClient jedis = RedisClient.create(redis.uri())) {
      String url = redis.uri().toString();
      try (JugglerProcess node =
              JugglerProcess.server(
                  "shutdown-node", "JUGGLER_REDIS_URL", url, "JUGGLER_CALLEE_ENABLED", "false");
          JugglerProcess callee =
              JugglerProcess.callees(
                  "shutdown-callee",
                  "JUGGLER_REDIS_URL",
                  url,
                  "JUGGLER_CALLEE_URIS",
                  "test.delay",
                  "JUGGLER_CALLEE_SHUTDOWN_WAIT",
                  Long.toString(SHUTDOWN_WAIT.toMillis()))) {
        node.awaitStarted().awaitLine("Juggler server ready at /ws", JugglerProcess.START_WAIT);
        callee.awaitStarted().awaitLine("Juggler callees serving", JugglerProcess.START_WAIT);
        // both servers that the build makes turn the idle heap release on (their server.xml), and
        // it is logged before they say they are ready; the flags it sets are HeapReleaseTest's
        node.awaitLine("idle heap release: ", Duration.ZERO);
        callee.awaitLine("idle heap release: ", Duration.ZERO);

        try (WsClient caller = WsClient.connectTo(node.endpoint());
            WsClient idle = WsClient.connectTo(node.endpoint())) {
          String quick = caller.call("test.delay", "1500", Duration.ofSeconds(20));
          ack(caller.next(), quick, CALL);
          String slow = caller.call("test.delay", "15000", Duration.ofSeconds(20));
          ack(caller.next(), slow, CALL);
          CallQueues.awaitTaken(jedis, "test.delay");

          long sigterm = System.nanoTime();
          callee.terminate();
          // the quick call was not interrupted: its full delay, as a normal result
          JsonObject first = caller.next(Duration.ofSeconds(10));
          assertEquals(1500, Frames.res(first, quick, "test.delay").getInt("args"));
          // the slow one could not finish within the shutdown wait: interrupted, an error result
          JsonObject second = caller.next(Duration.ofSeconds(10));
          assertEquals(
              "test.delay interrupted: the callee is stopping",
              Frames.res(second, slow, "test.delay")
                  .getJsonObject("args")
                  .getJsonObject("error")
                  .getString("message"));
          long interruptedAfter = System.nanoTime() - sigterm;
          assertTrue(
              interruptedAfter >= SHUTDOWN_WAIT.toNanos(),
              "interrupted before the shutdown wait was over: " + interruptedAfter / 1_000_000);
          assertStoppedBySigterm(callee);

          long stopping = System.nanoTime();
          node.terminate();
          for (WsClient c : new WsClient[] {caller, idle}) {
            WsClient.Close close = c.awaitClose(Duration.ofSeconds(10));
            assertNotNull(close, "no close frame within 10 s");
            assertEquals(new WsClient.Close(1001, "server shutting down"), close);
          }
          assertTrue(
              System.nanoTime() - stopping < Duration.ofSeconds(10).toNanos(),
              "closed within 10 s of SIGTERM");
          assertStoppedBySigterm(node);
        }
      }
    }
  }

  /** A JVM that ran its shutdown hooks after SIGTERM exits with 143 (128 + 15). */
  private static void assertStoppedBySigterm(JugglerProcess p) throws InterruptedException {
    int status = p.awaitExit(Duration.ofSeconds(20));
    assertTrue(status == 143 || status == 0, () -> p + " exited with " + status);
  }
}
