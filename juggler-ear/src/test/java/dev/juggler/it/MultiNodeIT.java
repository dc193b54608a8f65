package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two server nodes on one Redis, neither running callees, and a standalone callee process serving
 * both. Node 1 is the Arquillian-managed server; node 2 ({@code target/juggler.jar}) and the
 * callees ({@code target/juggler-callee.jar}) are separate processes: three JVMs.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class MultiNodeIT {
  private static final int CLIENTS_PER_NODE = 20;
  private static final int CALLS_PER_CLIENT = 10;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private static JugglerProcess node2;
  private static JugglerProcess callees;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear("juggler.callee.enabled", "false");
  }

  @BeforeAll
  static void startNode2AndCallees() {
    // set by the RedisExtension (a TestRedis parameter here would be claimed by Arquillian too)
    String url = System.getProperty(RedisExtension.URL_PROPERTY);
    node2 =
        JugglerProcess.server(
            "multinode-node2", "JUGGLER_REDIS_URL", url, "JUGGLER_CALLEE_ENABLED", "false");
    callees =
        JugglerProcess.callees(
            "multinode-callees", "JUGGLER_REDIS_URL", url, "JUGGLER_CALLEE_WORKERS", "8");
    node2.awaitStarted().awaitLine("Juggler server ready at /ws", JugglerProcess.START_WAIT);
    callees.awaitStarted().awaitLine("Juggler callees serving", JugglerProcess.START_WAIT);
  }

  @AfterAll
  static void stopProcesses() {
    try (JugglerProcess a = node2;
        JugglerProcess b = callees) {
      // closed in reverse order
    }
  }

  private static List<WsClient> clients(int perNode) {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < perNode; i++) {
      clients.add(WsClient.connect());
      clients.add(WsClient.connectTo(node2.endpoint()));
    }
    return clients;
  }

  private static void closeAll(List<WsClient> clients) {
    clients.forEach(WsClient::close);
  }

  @Test
  void everyResultReachesItsOwnCallerOnEitherNode() throws Exception {
    List<WsClient> clients = clients(CLIENTS_PER_NODE);
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    try {
      // All clients call at once, each one call after the other (the test server caps waiting
      // calls per URI at 100); every frame a client gets must answer its own call.
      List<Future<Integer>> served = new ArrayList<>();
      for (int c = 0; c < clients.size(); c++) {
        WsClient client = clients.get(c);
        String name = "c" + c;
        served.add(pool.submit(() -> callInTurn(client, name)));
      }
      for (Future<Integer> f : served) {
        assertEquals(CALLS_PER_CLIENT, f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      closeAll(clients);
    }
  }

  /** Makes the client's calls one after the other; returns how many got their own RES. */
  private static int callInTurn(WsClient client, String name) {
    int served = 0;
    for (int k = 0; k < CALLS_PER_CLIENT; k++) {
      String arg = name + "k" + k;
      boolean reverse = k % 2 == 1;
      String uri = reverse ? "test.reverse" : "test.echo";
      String id = client.call(uri, WsClient.quote(arg), CALL_TIMEOUT);
      ack(client.next(), id, 1);
      JsonObject res = client.next();
      assertTrue(res != null, name + ": no RES for call " + k);
      String expected = reverse ? new StringBuilder(arg).reverse().toString() : arg;
      assertEquals(expected, Frames.res(res, id, uri).getString("args"), name);
      served++;
    }
    assertNull(client.next(Duration.ofMillis(50)), "nothing more");
    return served;
  }

  @Test
  void eventsReachSubscribersOnBothNodesInPublishOrder() {
    String channel = "multinode." + UUID.randomUUID().toString().substring(0, 8);
    int perPublisher = 25;
    List<WsClient> subscribers = clients(3);
    List<WsClient> publishers = clients(2);
    try {
      for (int s = 0; s < subscribers.size(); s++) {
        // one subscriber per node through a pattern, the others through the channel
        boolean pattern = s < 2;
        Frames.subscribed(
            subscribers.get(s), pattern ? channel.substring(0, 12) + "*" : channel, pattern);
      }
      List<String> pubIds = new ArrayList<>();
      for (int i = 0; i < perPublisher; i++) {
        for (int p = 0; p < publishers.size(); p++) {
          pubIds.add(publishers.get(p).pub(channel, "{\"p\":" + p + ",\"i\":" + i + "}"));
        }
      }
      for (WsClient publisher : publishers) {
        for (int i = 0; i < perPublisher; i++) {
          Frames.expect(publisher.next(), Frames.ACK);
        }
      }
      for (int s = 0; s < subscribers.size(); s++) {
        int[] next = new int[publishers.size()];
        for (int e = 0; e < perPublisher * publishers.size(); e++) {
          JsonObject evnt = Frames.expect(subscribers.get(s).next(), Frames.EVNT);
          assertEquals(channel, evnt.getString("channel"));
          assertTrue(pubIds.contains(evnt.getString("for")));
          JsonObject args = evnt.getJsonObject("args");
          int p = args.getInt("p");
          assertEquals(
              next[p]++, args.getInt("i"), "subscriber " + s + ", publisher " + p + " order");
        }
        assertNull(subscribers.get(s).next(Duration.ofMillis(50)), "nothing more");
      }
    } finally {
      closeAll(subscribers);
      closeAll(publishers);
    }
  }

  @Test
  void standaloneCalleesServeNodesWhoseOwnCalleesAreDisabled() {
    assertTrue(
        callees.output().contains("Juggler callees serving [test.delay, test.echo, test.reverse]"));
    assertTrue(node2.output().contains("juggler.callee.enabled=false"), "node 2 runs no callees");
    try (WsClient one = WsClient.connect();
        WsClient two = WsClient.connectTo(node2.endpoint())) {
      for (WsClient c : List.of(one, two)) {
        String id = c.call("test.delay", "\"20\"", CALL_TIMEOUT);
        ack(c.next(), id, 1);
        assertEquals(20, Frames.res(c.next(), id, "test.delay").getInt("args"));
      }
    }
  }
}
