package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static dev.juggler.it.support.Frames.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/** CALL end to end: server, Redis, callees in the EAR, and back. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class RpcIT {
  /**
   * The timeout of a call whose RES a test waits for: as long as the tests wait, so that a loaded
   * machine does not expire it (its timeout is not what such a test is about).
   */
  private static final Duration LONG = Waits.SOON;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  @Test
  void callGetsAckThenResult() {
    try (WsClient c = WsClient.connect()) {
      assertEquals("juggler.0", c.subprotocol());
      String id = c.call("test.echo", "\"hello\"", LONG);
      JsonObject a = ack(c.next(), id, 1);
      assertEquals("test.echo", a.getString("uri"));
      assertEquals(Json.createValue("hello"), Frames.args(res(c.next(), id, "test.echo")));
    }
  }

  @Test
  void exampleCalleesBehaveAsDocumented() {
    try (WsClient c = WsClient.connect()) {
      assertEquals(Json.createValue("b😀a"), result(c, "test.reverse", "\"a😀b\""));
      assertEquals(Json.createValue(30), result(c, "test.delay", "\"30\""));
      assertEquals(Json.createValue(30), result(c, "test.delay", "30"));
      for (String bad : List.of("42", "{}", "null", "[\"x\"]")) {
        JsonObject error = result(c, "test.echo", bad).asJsonObject().getJsonObject("error");
        assertTrue(error.getString("message").length() > 0, "error for " + bad);
      }
      JsonObject error = result(c, "test.delay", "\"soon\"").asJsonObject().getJsonObject("error");
      assertTrue(error.getString("message").length() > 0);
    }
  }

  private static jakarta.json.JsonValue result(WsClient c, String uri, String args) {
    String id = c.call(uri, args, LONG);
    ack(c.next(), id, 1);
    return Frames.args(res(c.next(), id, uri));
  }

  @Test
  void zeroTimeoutMeansTheServerDefault() {
    try (WsClient c = WsClient.connect()) {
      String id = c.call("test.echo", "\"x\"", Duration.ZERO);
      ack(c.next(), id, 1);
      res(c.next(), id, "test.echo");
    }
  }

  @Test
  void invalidCallsGetNack400() {
    try (WsClient c = WsClient.connect()) {
      String id = c.call("", "null", LONG);
      nack(c.next(), id, 1, 400);
      id = c.call("test.echo", "\"x\"", Duration.ofNanos(-5));
      nack(c.next(), id, 1, 400);
      // the connection is still served
      id = c.call("test.echo", "\"still here\"", LONG);
      ack(c.next(), id, 1);
      res(c.next(), id, "test.echo");
    }
  }

  @Test
  void callWithoutCalleeExpiresWithoutResult() {
    try (WsClient c = WsClient.connect()) {
      String id = c.call("it.nocallee." + UUID.randomUUID(), "1", Duration.ofMillis(200));
      ack(c.next(), id, 1);
      assertNull(c.next(Duration.ofMillis(1500)), "no RES after the timeout");
    }
  }

  @Test
  void lateResultIsNeverDelivered() {
    try (WsClient c = WsClient.connect()) {
      String id = c.call("test.delay", "\"600\"", Duration.ofMillis(200));
      ack(c.next(), id, 1);
      assertNull(c.next(Duration.ofMillis(1500)), "a result produced after the timeout is dropped");
    }
  }

  @Test
  void expiredCallsAreNeverRun(TestRedis redis) {
    String late = "late-" + UUID.randomUUID();
    try (WsClient c = WsClient.connect();
        RedisClient jedis = RedisClient.create(redis.uri())) {
      // Keep every callee worker busy (the test server runs 4), so that the probe call waits.
      List<String> busy = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        busy.add(c.call("test.delay", "\"1200\"", LONG));
      }
      String probe = c.call("it.probe", WsClient.quote(late), Duration.ofMillis(300));
      for (int i = 0; i < 5; i++) {
        assertEquals(Frames.ACK, Frames.type(c.next()));
      }
      for (int i = 0; i < 4; i++) {
        JsonObject r = Frames.expect(c.next(), Frames.RES);
        assertTrue(busy.contains(r.getString("for")), "only the delays answer: " + r);
      }
      // Workers are free again; an expired call must have been discarded, not run.
      String control = "control-" + UUID.randomUUID();
      String id = c.call("it.probe", WsClient.quote(control), LONG);
      ack(c.next(), id, 1);
      res(c.next(), id, "it.probe");
      assertEquals("1", jedis.get("it:probe:" + control), "the probe records calls it runs");
      assertNull(jedis.get("it:probe:" + late), "the expired call " + probe + " ran");
    }
  }

  @Test
  void capacityExceededGetsNack429() {
    String uri = "it.nocallee.capacity." + UUID.randomUUID();
    try (WsClient c = WsClient.connect()) {
      // The test server allows 100 waiting calls per URI.
      for (int i = 0; i < 100; i++) {
        String id = c.call(uri, "1", Duration.ofSeconds(30));
        ack(c.next(), id, 1);
      }
      String id = c.call(uri, "1", Duration.ofSeconds(30));
      JsonObject n = nack(c.next(), id, 1, 429);
      assertEquals(uri, n.getString("uri"));
    }
  }

  @Test
  void resultsGoOnlyToTheCaller() {
    try (WsClient caller = WsClient.connect();
        WsClient other = WsClient.connect()) {
      String id = caller.call("test.echo", "\"mine\"", LONG);
      ack(caller.next(), id, 1);
      res(caller.next(), id, "test.echo");
      assertNull(other.next(Duration.ofMillis(300)));
    }
  }

  @Test
  void fiftyConcurrentConnectionsEachGetTheirOwnResults() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int n = 0; n < 50; n++) {
        int conn = n;
        done.add(pool.submit(() -> callMany(conn, 20)));
      }
      int total = 0;
      for (Future<Integer> f : done) {
        total += f.get();
      }
      assertEquals(1000, total);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A closed loop: each call waits for its result before the next one goes. */
  private static int callMany(int conn, int calls) {
    try (WsClient c = WsClient.connect()) {
      for (int i = 0; i < calls; i++) {
        String arg = "c" + conn + "-" + i;
        String id = c.call("test.echo", WsClient.quote(arg), LONG);
        ack(c.next(), id, 1);
        assertEquals(arg, res(c.next(), id, "test.echo").getString("args"));
      }
      return calls;
    }
  }
}
