package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.client.ClientOptions;
import dev.juggler.client.ConnectionLostException;
import dev.juggler.client.ConnectionState;
import dev.juggler.client.JugglerClient;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.test.redis.RedisExtension;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Java client against a server process that crashes and comes back on the same port: the
 * in-flight call fails at once, then the client reconnects and subscribes again.
 */
@ExtendWith(RedisExtension.class)
class ClientReconnectIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static JugglerProcess server(String name, int port) {
    String url = System.getProperty(RedisExtension.URL_PROPERTY);
    return JugglerProcess.serverOnPort(
            name, port, "JUGGLER_REDIS_URL", url, "JUGGLER_CALLEE_WORKERS", "2")
        .awaitStarted();
  }

  private static <T> T poll(BlockingQueue<T> q, int seconds) throws InterruptedException {
    T value = q.poll(seconds, TimeUnit.SECONDS);
    assertTrue(value != null, "nothing within " + seconds + " s");
    return value;
  }

  @Test
  void reconnectsAndSubscribesAgainAfterTheServerComesBack() throws Exception {
    BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    BlockingQueue<Evnt> events = new LinkedBlockingQueue<>();
    ClientOptions options =
        ClientOptions.defaults()
            .reconnect(true, Duration.ofMillis(100), Duration.ofSeconds(1))
            .connectionListener((state, cause) -> states.add(state));
    int port = JugglerProcess.freePort();
    JugglerProcess first = server("reconnect-first", port);
    try (JugglerClient c = JugglerClient.connect(first.endpoint(), options)) {
      assertEquals(ConnectionState.CONNECTED, poll(states, 5));
      c.subscribe("client.reconnect", events::add).get(5, TimeUnit.SECONDS);
      c.psubscribe("client.recon*", events::add).get(5, TimeUnit.SECONDS);
      c.publish("client.reconnect", "before").get(5, TimeUnit.SECONDS);
      assertEquals("\"before\"", poll(events, 10).args().text());
      assertEquals("\"before\"", poll(events, 10).args().text());

      CompletableFuture<RawJson> inFlight = c.call("test.delay", "10000", TIMEOUT);
      first.kill();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> inFlight.get(10, TimeUnit.SECONDS));
      assertInstanceOf(ConnectionLostException.class, e.getCause());
      assertEquals(ConnectionState.DISCONNECTED, poll(states, 5));

      try (JugglerProcess second = server("reconnect-second", port)) {
        assertEquals(ConnectionState.RECONNECTED, poll(states, 30));
        c.publish("client.reconnect", "after").get(5, TimeUnit.SECONDS);
        assertEquals("\"after\"", poll(events, 10).args().text());
        assertEquals("\"after\"", poll(events, 10).args().text());
        assertEquals("back", c.call("test.echo", "back", TIMEOUT, String.class).get());
      }
    } finally {
      first.close();
    }
  }
}
