package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The health endpoints of the test server, read without credentials: liveness, and readiness with
 * the web module's broker check and the EJB module's callee check.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class HealthIT {

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  @Test
  void liveIsUp() throws Exception {
    JsonObject live = health("/health/live", 200);
    assertEquals("UP", live.getString("status"));
    assertEquals(Map.of("juggler-server", "UP"), checks(live));
  }

  @Test
  void readyIsUpWithTheBrokersAndTheCallees() throws Exception {
    JsonObject ready = health("/health/ready", 200);
    assertEquals("UP", ready.getString("status"));
    assertEquals(
        Map.of("juggler-brokers", "UP", "juggler-callees", "UP", "juggler-node", "UP"),
        checks(ready));
    JsonObject node = check(ready, "juggler-node").getJsonObject("data");
    assertEquals("deployed", node.getString("endpoint"), node.toString());
    long open = node.getJsonNumber("openFileDescriptors").longValue();
    long max = node.getJsonNumber("maxFileDescriptors").longValue();
    long reserved = node.getJsonNumber("reservedFileDescriptors").longValue();
    assertTrue(open > 0 && open < max - reserved, node.toString());
    assertEquals(Math.max(64, (long) Math.ceil(max * 0.10)), reserved, "10% by default");
    JsonObject callees = check(ready, "juggler-callees");
    assertEquals(4, callees.getJsonObject("data").getInt("workers"), callees.toString());
    JsonObject brokers = check(ready, "juggler-brokers");
    assertEquals(
        "UP",
        brokers
            .getJsonObject("data")
            .getString("Redis at " + System.getProperty("juggler.test.redis.url")),
        brokers.toString());
  }

  @Test
  void allChecksAndStartedAreUp() throws Exception {
    JsonObject all = health("/health", 200);
    assertEquals(
        Map.of(
            "juggler-server", "UP",
            "juggler-brokers", "UP",
            "juggler-callees", "UP",
            "juggler-node", "UP"),
        checks(all));
    assertEquals("UP", health("/health/started", 200).getString("status"));
  }

  private static JsonObject health(String path, int status) throws Exception {
    HttpResponse<String> response = Server.get(path);
    assertEquals(status, response.statusCode(), response.body());
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  static Map<String, String> checks(JsonObject health) {
    Map<String, String> checks = new TreeMap<>();
    for (JsonValue v : health.getJsonArray("checks")) {
      JsonObject check = v.asJsonObject();
      checks.put(check.getString("name"), check.getString("status"));
    }
    return checks;
  }

  static JsonObject check(JsonObject health, String name) {
    for (JsonValue v : health.getJsonArray("checks")) {
      if (v.asJsonObject().getString("name").equals(name)) {
        return v.asJsonObject();
      }
    }
    throw new AssertionError("no check " + name + " in " + health);
  }
}
