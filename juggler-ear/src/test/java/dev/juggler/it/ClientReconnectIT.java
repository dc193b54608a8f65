package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.juggler.client.ClientOptions;
import dev.juggler.client.ConnectionLostException;
import dev.juggler.client.ConnectionState;
import dev.juggler.client.JugglerClient;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.Waits;
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
  /** The in-flight call's timeout: longer than its callee's 10 s, so only the crash can end it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /**
   * The bound under test: how soon a crash fails the in-flight call and reports the disconnection
   * (the killed process's TCP connection ends at once; the call's own timeout is 20 s).
   */
  private static final Duration AT_ONCE = Duration.ofSeconds(10);

  private static JugglerProcess server(String name, int port) {
    String url = System.getProperty(RedisExtension.URL_PROPERTY);
    return JugglerProcess.serverOnPort(
            name, port, "JUGGLER_REDIS_URL", url, "JUGGLER_CALLEE_WORKERS", "2")
        .awaitStarted();
  }

  @Test
  void reconnectsAndSubscribesAgainAfterTheServerComesBack() throws Exception {
    BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    BlockingQueue<Evnt> events = new LinkedBlockingQueue<>();
    ClientOptions options =
        Waits.clientOptions()
            .reconnect(true, Duration.ofMillis(100), Duration.ofSeconds(1))
            .connectionListener((state, cause) -> states.add(state));
    int port = JugglerProcess.freePort();
    JugglerProcess first = server("reconnect-first", port);
    try (JugglerClient c = JugglerClient.connect(first.endpoint(), options)) {
      assertEquals(ConnectionState.CONNECTED, Waits.next(states, Waits.SOON));
      Waits.soon(c.subscribe("client.reconnect", events::add));
      Waits.soon(c.psubscribe("client.recon*", events::add));
      Waits.soon(c.publish("client.reconnect", "before"));
      assertEquals("\"before\"", Waits.next(events, Waits.SOON).args().text());
      assertEquals("\"before\"", Waits.next(events, Waits.SOON).args().text());

      CompletableFuture<RawJson> inFlight = c.call("test.delay", "10000", TIMEOUT);
      first.kill();
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> inFlight.get(AT_ONCE.toMillis(), TimeUnit.MILLISECONDS));
      assertInstanceOf(ConnectionLostException.class, e.getCause());
      assertEquals(ConnectionState.DISCONNECTED, Waits.next(states, AT_ONCE));

      try (JugglerProcess second = server("reconnect-second", port)) {
        assertEquals(ConnectionState.RECONNECTED, Waits.next(states, Waits.SOON));
        Waits.soon(c.publish("client.reconnect", "after"));
        assertEquals("\"after\"", Waits.next(events, Waits.SOON).args().text());
        assertEquals("\"after\"", Waits.next(events, Waits.SOON).args().text());
        assertEquals("back", Waits.soon(c.call("test.echo", "back", Waits.SOON, String.class)));
      }
    } finally {
      first.close();
    }
  }
}
