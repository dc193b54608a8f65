package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.client.ClientOptions;
import dev.juggler.client.JugglerClient;
import dev.juggler.client.NackException;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.test.redis.RedisExtension;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Java client's pub-sub against the real server. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class ClientPubSubIT {
  private static final int EVENTS = 500;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  private static JugglerClient connect() {
    return JugglerClient.connect(WsClient.endpoint(), Waits.clientOptions());
  }

  private static Evnt next(BlockingQueue<Evnt> q) throws InterruptedException {
    return Waits.next(q, Waits.SOON);
  }

  @Test
  void channelAndPatternSubscribersGetEveryEventInOrder() throws Exception {
    BlockingQueue<Evnt> byChannel = new LinkedBlockingQueue<>();
    BlockingQueue<Evnt> byPattern = new LinkedBlockingQueue<>();
    BlockingQueue<Evnt> sentinel = new LinkedBlockingQueue<>();
    try (JugglerClient sub = connect();
        JugglerClient pub = connect()) {
      Waits.soon(sub.subscribe("client.order", byChannel::add));
      Waits.soon(sub.psubscribe("client.ord*", byPattern::add));
      Waits.soon(sub.subscribe("client.sentinel", sentinel::add));

      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        acks.add(pub.publish("client.order", i));
      }
      Waits.soon(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
      for (int i = 0; i < EVENTS; i++) {
        Evnt c = next(byChannel);
        assertEquals(Integer.toString(i), c.args().text());
        assertNull(c.pattern());
        Evnt p = next(byPattern);
        assertEquals(Integer.toString(i), p.args().text());
        assertEquals("client.ord*", p.pattern());
        assertEquals("client.order", p.channel());
      }

      Waits.soon(sub.unsubscribe("client.order"));
      Waits.soon(sub.punsubscribe("client.ord*"));
      Waits.soon(pub.publish("client.order", "after"));
      Waits.soon(pub.publish("client.sentinel", "last"));
      assertEquals("\"last\"", next(sentinel).args().text());
      assertTrue(byChannel.isEmpty() && byPattern.isEmpty(), "nothing after unsubscribing");
    }
  }

  @Test
  void clientsSharingAnHttpClientAndAListenerPoolKeepEachClientsOrder() throws Exception {
    // the load tool's setup: one HttpClient whose selector thread runs everything, listeners on a
    // shared pool; every client must still see its events once each and in order
    HttpClient http = HttpClient.newBuilder().executor(Runnable::run).build();
    ExecutorService listeners = Executors.newFixedThreadPool(3);
    ClientOptions shared = Waits.clientOptions().httpClient(http).listenerExecutor(listeners);
    int subscribers = 20;
    List<JugglerClient> clients = new ArrayList<>();
    try {
      List<List<Integer>> seen = new ArrayList<>();
      for (int s = 0; s < subscribers; s++) {
        List<Integer> mine = Collections.synchronizedList(new ArrayList<>());
        seen.add(mine);
        JugglerClient c = JugglerClient.connect(WsClient.endpoint(), shared);
        clients.add(c);
        Waits.soon(c.subscribe("client.shared", e -> mine.add(Integer.parseInt(e.args().text()))));
      }
      JugglerClient pub = JugglerClient.connect(WsClient.endpoint(), shared);
      clients.add(pub);
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        acks.add(pub.publish("client.shared", i));
      }
      Waits.soon(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
      List<Integer> expected = IntStream.range(0, EVENTS).boxed().toList();
      long deadline = Waits.deadline();
      for (List<Integer> mine : seen) {
        while (mine.size() < EVENTS && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        synchronized (mine) {
          assertEquals(expected, mine);
        }
      }
      // a call through the same shared machinery
      assertEquals("\"cba\"", Waits.soon(pub.call("test.reverse", "abc", Waits.SOON)).text());
    } finally {
      clients.forEach(JugglerClient::close);
      listeners.shutdownNow();
    }
  }

  @Test
  void aThrowingListenerDoesNotStopDelivery() throws Exception {
    BlockingQueue<Evnt> seen = new LinkedBlockingQueue<>();
    try (JugglerClient c = connect()) {
      Waits.soon(
          c.subscribe(
              "client.throwing",
              e -> {
                seen.add(e);
                throw new IllegalStateException("listener failure, on purpose");
              }));
      for (int i = 0; i < 10; i++) {
        c.publish("client.throwing", i);
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(Integer.toString(i), next(seen).args().text());
      }
    }
  }

  @Test
  void nackedRequestsFailWithTheirCode() {
    try (JugglerClient c = connect()) {
      for (CompletableFuture<Void> f :
          List.of(c.publish("it.forbidden.pub", 1), c.subscribe("it.forbidden.sub", e -> {}))) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> Waits.soon(f));
        assertEquals(403, assertInstanceOf(NackException.class, e.getCause()).code());
      }
    }
  }
}
