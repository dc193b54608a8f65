package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publisher flow control: PUBs wait while the node's writers are behind. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class FlowControlIT {
  private static final int PUB = 2;
  private static final int SUB = 3;
  private static final long WAIT_MS = 1500;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.server.publish-backlog",
        "20",
        "juggler.server.publish-backlog-wait",
        Long.toString(WAIT_MS));
  }

  /** Publishes one event and returns how long its ACK took, in ms. */
  private static long publish(WsClient pub, String args) {
    long start = System.nanoTime();
    String id = pub.pub("flow.slow", args);
    JsonObject answer = pub.next(Duration.ofSeconds(10));
    assertNotNull(answer, "an ACK within 10 s");
    ack(answer, id, PUB);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void pubsWaitWhileASubscriberLagsAndGoOnAtOnceWhenItIsGone() throws Exception {
    double heldBefore = Server.metric("PubsHeld");
    String big = WsClient.quote("x".repeat(60_000));
    try (WsClient pub = WsClient.connect()) {
      try (WsClient slow = WsClient.connect()) {
        String sub = slow.sub("flow.slow", false);
        ack(slow.next(), sub, SUB);
        slow.stopReading();
        // one PUB at a time: fast until the socket buffers and then 20 queued frames are full
        long slowest = 0;
        for (int i = 0; i < 5_000 && slowest < WAIT_MS / 2; i++) {
          slowest = Math.max(slowest, publish(pub, big));
        }
        assertTrue(slowest >= WAIT_MS / 2, "a PUB was held back: slowest ACK " + slowest + " ms");
        assertTrue(Server.metric("PubsHeld") > heldBefore, "PubsHeld counted it");
      }
      // the lagging subscriber is gone, and its queued frames with it: PUBs flow again
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long took;
      do {
        took = publish(pub, "\"small\"");
      } while (took >= WAIT_MS / 2 && System.nanoTime() < deadline);
      assertTrue(took < WAIT_MS / 2, "PUBs are answered at once again: " + took + " ms");
    }
  }
}
