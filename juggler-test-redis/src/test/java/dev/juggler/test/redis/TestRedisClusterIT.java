package dev.juggler.test.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisClusterExtension.class)
class TestRedisClusterIT {

  /** Slot 12182 (CRC16 of "foo"), in the third node's range 10923-16383. */
  private static final String KEY_OF_THIRD_NODE = "foo";

  private final TestRedisCluster cluster;

  TestRedisClusterIT(TestRedisCluster cluster) {
    this.cluster = cluster;
  }

  @Test
  void sharedClusterIsOkOnEveryNodeAndAdvertised(TestRedisCluster same) throws IOException {
    assertSame(cluster, same);
    List<TestRedis> nodes = cluster.nodes();
    assertEquals(TestRedisCluster.SIZE, nodes.size());
    assertEquals(
        "127.0.0.1:"
            + nodes.get(0).port()
            + ",127.0.0.1:"
            + nodes.get(1).port()
            + ",127.0.0.1:"
            + nodes.get(2).port(),
        cluster.seedNodes());
    assertEquals(cluster.seedNodes(), System.getProperty(RedisClusterExtension.NODES_PROPERTY));
    for (TestRedis node : nodes) {
      String info = Resp.command(node.host(), node.port(), "CLUSTER", "INFO");
      assertTrue(info.contains("cluster_state:ok"), info);
      assertTrue(info.contains("cluster_slots_assigned:16384"), info);
      assertTrue(info.contains("cluster_known_nodes:3"), info);
    }
  }

  @Test
  void keysLiveOnTheNodeOwningTheirSlot() throws IOException {
    TestRedis first = cluster.nodes().get(0);
    TestRedis third = cluster.nodes().get(2);
    IOException moved =
        assertThrows(
            IOException.class,
            () -> Resp.command(first.host(), first.port(), "SET", KEY_OF_THIRD_NODE, "1"));
    assertTrue(
        moved.getMessage().contains("MOVED 12182 127.0.0.1:" + third.port()), moved.getMessage());
    assertEquals("OK", Resp.command(third.host(), third.port(), "SET", KEY_OF_THIRD_NODE, "1"));

    cluster.flushAll();
    assertEquals("0", Resp.command(third.host(), third.port(), "DBSIZE"));
  }

  @Test
  void aStoppedNodeRejoinsWithItsSlots() throws IOException {
    TestRedis second = cluster.nodes().get(1);
    second.stop();
    try {
      assertFalse(second.isRunning());
      assertThrows(IOException.class, () -> Resp.command(second.host(), second.port(), "PING"));
    } finally {
      cluster.ensureHealthy();
    }
    String info = Resp.command(second.host(), second.port(), "CLUSTER", "INFO");
    assertTrue(info.contains("cluster_state:ok"), info);
  }

  @Test
  void theEmbeddedBinaryFormsAClusterToo() throws IOException {
    try (TestRedisCluster embedded = TestRedisCluster.launch(TestRedis.Mode.EMBEDDED)) {
      assertTrue(embedded.version().startsWith("6.2."), embedded.version());
      TestRedis node = embedded.nodes().get(2);
      assertEquals("OK", Resp.command(node.host(), node.port(), "SET", KEY_OF_THIRD_NODE, "1"));
    }
  }
}
