package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.Server;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows Redis: a server process ({@code target/juggler.jar}, with its callees) on a
 * private Redis is ready (200), turns not ready (503) within seconds of Redis stopping, naming the
 * Redis that does not answer and the callees' outage, and ready again once Redis is back on the
 * same port; liveness stays UP throughout.
 */
class ReadinessIT {
  private static final Duration DOWN_WAIT = Duration.ofSeconds(10);
  private static final Duration UP_WAIT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readinessGoesDownWithRedisAndUpWhenItIsBack() throws Exception {
    try (TestRedis redis = TestRedis.launch();
        JugglerProcess node =
            JugglerProcess.server(
                "readiness",
                "JUGGLER_REDIS_URL",
                redis.uri().toString(),
                "JUGGLER_CALLEE_WORKERS",
                "2")) {
      node.awaitStarted();
      String target = "Redis at " + redis.uri();

      Health up = await(node, r -> r.status == 200, UP_WAIT);
      assertEquals(
          Map.of("juggler-brokers", "UP", "juggler-callees", "UP", "juggler-node", "UP"),
          up.checks());
      assertEquals(
          "UP", HealthIT.check(up.json, "juggler-brokers").getJsonObject("data").getString(target));

      redis.stop();
      long stopped = System.nanoTime();
      Health down;
      try {
        down =
            await(
                node,
                r ->
                    r.status == 503
                        && "DOWN".equals(r.checks().get("juggler-brokers"))
                        && "DOWN".equals(r.checks().get("juggler-callees")),
                DOWN_WAIT);
      } finally {
        redis.start();
      }
      assertTrue(System.nanoTime() - stopped < DOWN_WAIT.toNanos());
      assertEquals("DOWN", down.json.getString("status"));
      JsonObject brokers = HealthIT.check(down.json, "juggler-brokers");
      assertEquals("DOWN", brokers.getString("status"), down.json.toString());
      assertEquals("DOWN", brokers.getJsonObject("data").getString(target));
      assertEquals(target + " does not answer", brokers.getJsonObject("data").getString("reason"));
      String calleeReason =
          HealthIT.check(down.json, "juggler-callees").getJsonObject("data").getString("reason");
      assertTrue(calleeReason.startsWith(target + " unreachable since "), calleeReason);
      assertEquals(200, get(node, "/health/live").status, "liveness does not follow Redis");

      Health back = await(node, r -> r.status == 200, UP_WAIT);
      assertEquals(
          Map.of("juggler-brokers", "UP", "juggler-callees", "UP", "juggler-node", "UP"),
          back.checks());
    }
  }

  @Test
  void aCalleeProcessServesItsReadinessAndMetrics() throws Exception {
    try (TestRedis redis = TestRedis.launch();
        JugglerProcess callees =
            JugglerProcess.callees(
                "readiness-callees",
                "JUGGLER_REDIS_URL",
                redis.uri().toString(),
                "JUGGLER_CALLEE_WORKERS",
                "2")) {
      callees.awaitStarted();
      Health up = await(callees, r -> r.status == 200, UP_WAIT);
      assertEquals(Map.of("juggler-callees", "UP"), up.checks());

      redis.stop();
      Health down;
      try {
        down = await(callees, r -> r.status == 503, DOWN_WAIT);
      } finally {
        redis.start();
      }
      assertEquals(Map.of("juggler-callees", "DOWN"), down.checks());
      await(callees, r -> r.status == 200, UP_WAIT);

      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + callees.httpPort() + "/metrics?scope=application"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("CalleeBrokerErrors"), metrics.body());
      assertTrue(Server.metric(metrics.body(), "CalleeBrokerErrors") >= 1, "the outage counted");
    }
  }

  /**
   * A node out of file descriptors for connections: with {@code juggler.server.fd-reserve} at the
   * whole limit, every handshake gets 503 and readiness is DOWN naming the reason, while liveness
   * stays UP. (The real thing, a process at its limit, was checked by hand with {@code ulimit -n
   * 1024}: handshakes refused from 921 descriptors on, the application kept, readiness UP again
   * once the connections closed.) A process of its own: the shared test server stays ready.
   */
  @Test
  void aNodeAtCapacityRefusesHandshakesAndIsNotReady() throws Exception {
    try (JugglerProcess node =
        JugglerProcess.server(
            "capacity", "JUGGLER_SERVER_FD_RESERVE", "100%", "JUGGLER_CALLEE_WORKERS", "1")) {
      node.awaitStarted();
      Health down = await(node, r -> r.status == 503, UP_WAIT);
      JsonObject check = HealthIT.check(down.json, "juggler-node");
      assertEquals("DOWN", check.getString("status"), down.json.toString());
      String reason = check.getJsonObject("data").getString("reason");
      assertTrue(reason.startsWith("file descriptors nearly exhausted"), reason);
      assertEquals(200, get(node, "/health/live").status, "liveness does not follow capacity");

      String request =
          "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Protocol: juggler.0\r\n\r\n";
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.httpPort())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String answer =
            new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
        assertTrue(answer.contains("server at capacity"), answer);
      }
    }
  }

  private record Health(int status, JsonObject json) {
    Map<String, String> checks() {
      return HealthIT.checks(json);
    }
  }

  private Health get(JugglerProcess node, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonObject json =
        response.body().startsWith("{")
            ? Json.createReader(new StringReader(response.body())).readObject()
            : Json.createObjectBuilder().add("body", response.body()).build();
    return new Health(response.statusCode(), json);
  }

  /** Polls {@code /health/ready} until it satisfies {@code condition}. */
  private Health await(JugglerProcess node, Predicate<Health> condition, Duration wait)
      throws Exception {
    long end = System.nanoTime() + wait.toNanos();
    Health last = null;
    while (System.nanoTime() < end) {
      last = get(node, "/health/ready");
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("readiness not as expected within " + wait + "; last: " + last);
  }
}
