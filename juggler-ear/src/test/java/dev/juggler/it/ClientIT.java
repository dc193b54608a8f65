package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.client.CallExpiredException;
import dev.juggler.client.CallResults;
import dev.juggler.client.ClientOptions;
import dev.juggler.client.ConnectionState;
import dev.juggler.client.JugglerClient;
import dev.juggler.client.NackException;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.test.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Java client's calls against the real server: results, NACKs, expiry, concurrency. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class ClientIT {
  private static final Duration TIMEOUT = Waits.SOON;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  private static JugglerClient connect() {
    return JugglerClient.connect(WsClient.endpoint(), Waits.clientOptions());
  }

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> Waits.soon(f));
    return e.getCause();
  }

  @Test
  void callsDecodeTheirResults() throws Exception {
    try (JugglerClient c = connect()) {
      assertEquals("hello", c.call("test.echo", "hello", TIMEOUT, String.class).get());
      assertEquals(
          "b😀a", c.call("test.reverse", new RawJson("\"a😀b\""), TIMEOUT, String.class).get());
      assertEquals(150, c.call("test.delay", "150", TIMEOUT, Integer.class).get());
    }
  }

  @Test
  void aCalleeErrorIsANormalResult() throws Exception {
    try (JugglerClient c = connect()) {
      RawJson result = c.call("test.echo", 42, TIMEOUT).get();
      assertTrue(CallResults.errorMessage(result).isPresent(), result.text());
    }
  }

  @Test
  void aNackFailsTheCallWithItsCode() {
    try (JugglerClient c = connect()) {
      NackException e =
          assertInstanceOf(NackException.class, failure(c.call("it.forbidden.call", "x", TIMEOUT)));
      assertEquals(403, e.code());
    }
  }

  @Test
  void aCallWithoutResultInTimeExpiresAndItsResultNeverComes() throws Exception {
    try (JugglerClient c = connect()) {
      CompletableFuture<RawJson> slow = c.call("test.delay", "600", Duration.ofMillis(200));
      assertInstanceOf(CallExpiredException.class, failure(slow));
      // outlives the slow call: had its result come, it would have come by now
      assertEquals(700, c.call("test.delay", "700", TIMEOUT, Integer.class).get());
      assertInstanceOf(CallExpiredException.class, failure(slow));
    }
  }

  @Test
  void concurrentCallsFromManyThreadsAllGetTheirOwnResult() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (JugglerClient c = connect()) {
      List<Future<List<String>>> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        threads.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<String>> calls = new ArrayList<>();
                  for (int i = 0; i < 25; i++) {
                    calls.add(c.call("test.echo", thread + "-" + i, TIMEOUT, String.class));
                  }
                  List<String> results = new ArrayList<>();
                  for (CompletableFuture<String> f : calls) {
                    results.add(Waits.soon(f));
                  }
                  return results;
                }));
      }
      for (int t = 0; t < 8; t++) {
        List<String> results = Waits.soon(threads.get(t));
        for (int i = 0; i < 25; i++) {
          assertEquals(t + "-" + i, results.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRequestTypeTheClientDidNotAllowIsRefusedLocallyAndTheConnectionStays() throws Exception {
    BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    ClientOptions callOnly =
        Waits.clientOptions()
            .allowedMessages(EnumSet.of(MsgType.CALL))
            .connectionListener((state, cause) -> states.add(state));
    try (JugglerClient c = JugglerClient.connect(WsClient.endpoint(), callOnly)) {
      assertEquals(ConnectionState.CONNECTED, Waits.next(states, Waits.SOON));
      assertEquals("ok", c.call("test.echo", "ok", TIMEOUT, String.class).get());
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> c.publish("client.not-allowed", "x"));
      assertTrue(e.getMessage().contains("PUB"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> c.subscribe("client.not-allowed", ev -> {}));
      // nothing was sent: the server did not close the connection
      assertEquals("still", c.call("test.echo", "still", TIMEOUT, String.class).get());
      assertTrue(c.isConnected());
      assertNull(states.poll(200, TimeUnit.MILLISECONDS), "no state change");
    }
  }
}
