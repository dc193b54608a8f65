package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-connection rate limit: NACK 429 past the burst, recovered at the rate. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class RateLimitIT {
  private static final int PUB = 2;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear("juggler.server.rate-limit", "4", "juggler.server.rate-burst", "5");
  }

  @Test
  void requestsPastTheBurstGet429UntilTheBucketRefills() throws Exception {
    double before = Server.metric("RateLimited");
    try (WsClient greedy = WsClient.connect();
        WsClient other = WsClient.connect()) {
      List<String> ids = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        ids.add(greedy.pub("rate.it", Integer.toString(i)));
      }
      int acked = 0;
      int refused = 0;
      for (String id : ids) {
        JsonObject answer = greedy.next();
        if (answer.getJsonObject("meta").getInt("type") == 8) {
          ack(answer, id, PUB);
          acked++;
        } else {
          assertEquals(
              "rate limit exceeded: 4.0 requests/s",
              nack(answer, id, PUB, 429).getString("message"));
          refused++;
        }
      }
      // the burst of 5, and what refilled at 4/s while they were served; the rest refused
      double seconds = (System.nanoTime() - start) / 1e9;
      int most = 5 + (int) Math.ceil(4 * seconds);
      assertTrue(acked >= 5 && acked <= most, "acked " + acked + " in " + seconds + " s");
      assertEquals(20, acked + refused);
      assertEquals(before + refused, Server.metric("RateLimited"));

      // another connection has a bucket of its own
      String o = other.pub("rate.it", "\"other\"");
      ack(other.next(), o, PUB);

      Thread.sleep(600); // two tokens at 4/s
      String again = greedy.pub("rate.it", "\"again\"");
      ack(greedy.next(), again, PUB);
    }
  }
}
