package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.TestRedisCluster;
import jakarta.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two server processes and a callee process on a private 3-master Redis Cluster, configured with
 * {@code JUGGLER_REDIS_CLUSTER_NODES}: calls from clients of both nodes reach the callees and come
 * back to their callers, and events published on one node reach channel and pattern subscribers of
 * both.
 */
class ClusterIT {

  @Test
  void callsAndEventsWorkAcrossNodesOnACluster() {
    // one process after the other, so that three Liberty JVMs never compete for a small
    // machine's CPUs while they start (awaitStarted stops a process that fails to start)
    try (TestRedisCluster cluster = TestRedisCluster.launch();
        JugglerProcess callees =
            JugglerProcess.callees(
                    "cluster-callees", "JUGGLER_REDIS_CLUSTER_NODES", cluster.seedNodes())
                .awaitStarted();
        JugglerProcess node1 = node("cluster-node-1", cluster).awaitStarted();
        JugglerProcess node2 = node("cluster-node-2", cluster).awaitStarted()) {
      callees.awaitLine("Juggler callees serving", JugglerProcess.START_WAIT);
      node1.awaitLine("Juggler server ready at /ws", JugglerProcess.START_WAIT);
      node2.awaitLine("Juggler server ready at /ws", JugglerProcess.START_WAIT);
      assertTrue(node1.output().contains("Redis Cluster"), "node 1 logs its cluster broker");

      try (WsClient a = WsClient.connectTo(node1.endpoint());
          WsClient b = WsClient.connectTo(node2.endpoint());
          WsClient publisher1 = WsClient.connectTo(node1.endpoint());
          WsClient publisher2 = WsClient.connectTo(node2.endpoint())) {
        for (int i = 0; i < 10; i++) {
          for (WsClient c : new WsClient[] {a, b}) {
            String arg = "x" + i + (c == a ? "a" : "b");
            String id = c.call("test.echo", WsClient.quote(arg), Waits.SOON);
            ack(c.next(), id, 1);
            assertEquals(arg, Frames.res(c.next(), id, "test.echo").getString("args"));
          }
        }

        Frames.subscribed(a, "cluster.news", false);
        Frames.subscribed(b, "cluster.*", true);
        Frames.published(publisher1, "cluster.news", "1");
        Frames.published(publisher2, "cluster.news", "2");
        Set<String> atA = new HashSet<>();
        Set<String> atB = new HashSet<>();
        for (int i = 0; i < 2; i++) {
          atA.add(Frames.expect(a.next(), Frames.EVNT).get("args").toString());
          JsonObject e = Frames.expect(b.next(), Frames.EVNT);
          assertEquals("cluster.*", e.getString("pattern"));
          atB.add(e.get("args").toString());
        }
        assertEquals(Set.of("1", "2"), atA);
        assertEquals(Set.of("1", "2"), atB);
      }
    }
  }

  private static JugglerProcess node(String name, TestRedisCluster cluster) {
    return JugglerProcess.server(
        name,
        "JUGGLER_REDIS_CLUSTER_NODES",
        cluster.seedNodes(),
        "JUGGLER_CALLEE_ENABLED",
        "false");
  }
}
