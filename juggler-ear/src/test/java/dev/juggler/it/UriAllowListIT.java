package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.MetaCalls;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The URI allow-list on the test server, whose own callees heartbeat their URIs: served URIs are
 * called, others get NACK 404 at once, and {@code juggler.uris} lists the served ones.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class UriAllowListIT {
  private static final int CALL = 1;
  private static final List<String> OWN =
      List.of("it.probe", "test.delay", "test.echo", "test.reverse");

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear("juggler.server.uri-allow-list", "true");
  }

  @Test
  void theMetaUriListsTheServedUrisSortedAndAfterItsAck() throws Exception {
    try (WsClient c = WsClient.connect()) {
      // The callees' first heartbeat and the node's next refresh may follow the deployment.
      List<String> live =
          MetaCalls.awaitLiveUris(
              c, "listing the server's callees", l -> l.containsAll(OWN), Waits.SOON);
      assertEquals(live.stream().sorted().toList(), live, "sorted");
      assertFalse(live.contains(MetaCalls.LIVE_URIS), "the meta URI is not a callee's");
    }
  }

  @Test
  void servedUrisAreCalledAndUnservedOnesGet404AtOnce() throws Exception {
    try (WsClient c = WsClient.connect()) {
      MetaCalls.awaitLiveUris(c, "listing test.echo", l -> l.contains("test.echo"), Waits.SOON);
      String echo = c.call("test.echo", "\"allowed\"", Waits.SOON);
      ack(c.next(), echo, CALL);
      assertEquals("allowed", Frames.res(c.next(), echo, "test.echo").getString("args"));

      double before = Server.metric("UnservedCalls");
      long sent = System.nanoTime();
      String unserved = c.call("it.nobody.serves.this", "1", Duration.ofSeconds(30));
      assertEquals(
          "no callee serves it.nobody.serves.this",
          nack(c.next(), unserved, CALL, 404).getString("message"));
      long tookMs = (System.nanoTime() - sent) / 1_000_000;
      assertTrue(tookMs < 2_000, "NACK 404 after " + tookMs + " ms, for a call of 30 s");
      assertEquals(before + 1, Server.metric("UnservedCalls"));

      // An invalid URI is still a bad request, not an unserved one.
      String blank = c.call("", "1", Duration.ofSeconds(10));
      nack(c.next(), blank, CALL, 400);
    }
  }
}
