package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publisher flow control: PUB ACKs wait while the node's writers are behind. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class FlowControlIT {
  private static final int PUB = 2;
  private static final int SUB = 3;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear("juggler.server.publish-backlog", "20");
  }

  @Test
  void pubAcksWaitWhileASubscriberLagsAndComeOnceItsBacklogIsGone() throws Exception {
    double heldBefore = Server.metric("PubAcksHeld");
    String big = WsClient.quote("x".repeat(60_000));
    try (WsClient pub = WsClient.connect()) {
      String held = null;
      try (WsClient slow = WsClient.connect()) {
        String sub = slow.sub("flow.slow", false);
        ack(slow.next(), sub, SUB);
        slow.stopReading();
        // one PUB at a time: ACKs come until the socket buffers and then 20 frames are full
        for (int i = 0; i < 5_000 && held == null; i++) {
          String id = pub.pub("flow.slow", big);
          JsonObject answer = pub.next(Duration.ofSeconds(2));
          if (answer == null) {
            held = id;
          } else {
            ack(answer, id, PUB);
          }
        }
        assertNotNull(held, "a PUB's ACK was held back while the subscriber did not read");
        assertTrue(Server.metric("PubAcksHeld") > heldBefore, "PubAcksHeld counted it");
        assertNull(pub.next(Duration.ofMillis(500)), "still held while the backlog stands");
      }
      // the lagging subscriber is gone, and its queued frames with it
      JsonObject late = pub.next(Duration.ofSeconds(15));
      assertNotNull(late, "the held ACK came once the backlog was gone");
      ack(late, held, PUB);
      String after = pub.pub("flow.slow", "1");
      ack(pub.next(), after, PUB);
    }
  }
}
