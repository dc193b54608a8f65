package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.juggler.it.support.CallQueues;
import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * A callee process killed (SIGKILL) while it runs calls: those calls expire for their client with
 * no RES; other calls go on, on the server's own callee workers and on another callee process.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class CalleeCrashIT {
  private static final Duration DELAY_TIMEOUT = Duration.ofSeconds(4);

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    // test.delay is served only by the callee processes of the test
    return ItDeployment.ear("juggler.callee.uris", "test.echo,test.reverse,it.probe");
  }

  @Test
  void callsOfAKilledCalleeExpireWhileOtherCallsGoOn() {
    String url = System.getProperty(RedisExtension.URL_PROPERTY);
    String[] env = {"JUGGLER_REDIS_URL", url, "JUGGLER_CALLEE_URIS", "test.delay"};
    try (JugglerProcess victim = JugglerProcess.callees("crash-victim", env);
        WsClient c = WsClient.connect();
        RedisClient redis = RedisClient.create(URI.create(url))) {
      victim
          .awaitStarted()
          .awaitLine("Juggler callees serving [test.delay]", JugglerProcess.START_WAIT);
      long sent = System.nanoTime();
      String a = c.call("test.delay", "\"2000\"", DELAY_TIMEOUT);
      ack(c.next(), a, 1);
      String b = c.call("test.delay", "\"2000\"", DELAY_TIMEOUT);
      ack(c.next(), b, 1);
      CallQueues.awaitTaken(redis, "test.delay");
      victim.kill();

      String echo = c.call("test.echo", "\"still here\"", Duration.ofSeconds(10));
      ack(c.next(), echo, 1);
      assertEquals("still here", Frames.res(c.next(), echo, "test.echo").getString("args"));

      try (JugglerProcess survivor = JugglerProcess.callees("crash-survivor", env)) {
        survivor.awaitStarted().awaitLine("Juggler callees serving", JugglerProcess.START_WAIT);
        String d = c.call("test.delay", "\"10\"", Duration.ofSeconds(10));
        ack(c.next(), d, 1);
        assertEquals(
            10, Frames.res(c.next(Duration.ofSeconds(10)), d, "test.delay").getInt("args"));

        // Past the killed calls' timeout (and the 2 s they would have taken), nothing came for
        // them.
        long quietUntil = sent + DELAY_TIMEOUT.toNanos() + Duration.ofSeconds(1).toNanos();
        JsonObject late = c.next(Duration.ofNanos(Math.max(1, quietUntil - System.nanoTime())));
        assertNull(late, () -> "a frame after the callee died (calls " + a + ", " + b + ")");
      }
    }
  }
}
