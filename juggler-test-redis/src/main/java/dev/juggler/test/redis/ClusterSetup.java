package dev.juggler.test.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Turns running cluster-enabled nodes into one cluster: slots, handshakes, then a wait. */
final class ClusterSetup {

  static final int SLOTS = 16_384;

  /** Gossip usually converges within a second or two; a loaded CI host may take longer. */
  private static final long READY_TIMEOUT_MS = 30_000;

  private ClusterSetup() {}

  /** Splits the slots evenly among {@code nodes}, introduces them to each other, waits for ok. */
  static void form(List<TestRedis> nodes) throws IOException, InterruptedException {
    for (int i = 0; i < nodes.size(); i++) {
      int from = SLOTS * i / nodes.size();
      int to = SLOTS * (i + 1) / nodes.size();
      // ADDSLOTS rather than ADDSLOTSRANGE, which Redis 6.2 lacks.
      List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = from; slot < to; slot++) {
        args.add(Integer.toString(slot));
      }
      command(nodes.get(i), args.toArray(String[]::new));
    }
    TestRedis first = nodes.get(0);
    for (TestRedis other : nodes.subList(1, nodes.size())) {
      command(first, "CLUSTER", "MEET", other.host(), Integer.toString(other.port()));
    }
    awaitOk(nodes);
  }

  /** Waits until every node says the cluster is ok, knows every node and every slot. */
  static void awaitOk(List<TestRedis> nodes) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT_MS * 1_000_000;
    String last = "";
    while (System.nanoTime() < deadline) {
      last = notOk(nodes);
      if (last == null) {
        return;
      }
      Thread.sleep(50); // gossip between processes: there is nothing to wait on
    }
    throw new IllegalStateException(
        "Redis Cluster not ok within " + READY_TIMEOUT_MS + " ms: " + last);
  }

  /** What is not ok yet, or {@code null} when all is. */
  private static String notOk(List<TestRedis> nodes) throws IOException {
    for (TestRedis node : nodes) {
      String info = command(node, "CLUSTER", "INFO");
      if (!info.contains("cluster_state:ok")
          || !info.contains("cluster_slots_assigned:" + SLOTS)
          || !info.contains("cluster_slots_ok:" + SLOTS)
          || !info.contains("cluster_known_nodes:" + nodes.size())) {
        return "node " + node.port() + " says\n" + info.trim();
      }
    }
    return null;
  }

  private static String command(TestRedis node, String... args) throws IOException {
    return Resp.command(node.host(), node.port(), args);
  }
}
