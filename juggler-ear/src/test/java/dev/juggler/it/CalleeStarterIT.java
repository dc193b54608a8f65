package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Callees of a project of one's own: juggler-callee-example's WAR (one {@code @RpcFunction} and
 * juggler-callee-starter) in its own Liberty server, {@code jugglerExample}, configured by the
 * example's {@code server.xml}, serves {@code greet.hello} to a client of a server node whose own
 * callees are off, through Redis; its readiness check is found through the WAR.
 */
@ExtendWith(RedisExtension.class)
class CalleeStarterIT {
  // Its first start fills a fresh work area: on a loaded 2-CPU machine it took 77 s.
  private static final Duration EXAMPLE_START_WAIT = Duration.ofMinutes(3);

  @Test
  void aWarBuiltOnTheStarterServesItsFunctionThroughAServerNode() throws Exception {
    String url = System.getProperty(RedisExtension.URL_PROPERTY);
    try (JugglerProcess callees =
            JugglerProcess.libertyServer(
                "example-callees", "jugglerExample", "JUGGLER_REDIS_URL", url);
        JugglerProcess node =
            JugglerProcess.server(
                "example-node", "JUGGLER_REDIS_URL", url, "JUGGLER_CALLEE_ENABLED", "false")) {
      callees
          .awaitStarted(EXAMPLE_START_WAIT)
          .awaitLine("Juggler callees serving [greet.hello]", Duration.ofSeconds(5));
      node.awaitStarted(EXAMPLE_START_WAIT);

      try (WsClient c = WsClient.connectTo(node.endpoint())) {
        String call = c.call("greet.hello", "\"world\"", Waits.SOON);
        ack(c.next(), call, 1);
        JsonObject res = Frames.res(c.next(), call, "greet.hello");
        assertEquals("hello, world", res.getString("args"));
      }

      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + callees.httpPort() + "/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), ready.body());
      JsonObject check =
          Json.createReader(new StringReader(ready.body()))
              .readObject()
              .getJsonArray("checks")
              .getJsonObject(0);
      assertEquals("juggler-callees", check.getString("name"), ready.body());
      assertEquals("greet.hello", check.getJsonObject("data").getString("uris"), ready.body());
    }
  }
}
