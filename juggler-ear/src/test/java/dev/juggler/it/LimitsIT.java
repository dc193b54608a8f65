package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The read timeout and the write limit, on a deployment configured with small ones. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class LimitsIT {
  private static final int WRITE_LIMIT = 2_000;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.server.read-timeout",
        "1500",
        "juggler.server.write-limit",
        Integer.toString(WRITE_LIMIT));
  }

  private static void echo(WsClient c, String arg) {
    String id = c.call("test.echo", WsClient.quote(arg), Duration.ofSeconds(5));
    ack(c.next(), id, 1);
    res(c.next(), id, "test.echo");
  }

  @Test
  void silentConnectionIsClosedAfterTheReadTimeoutWhileActiveOnesStay() throws Exception {
    double before = Server.metric("ReadTimeouts");
    try (WsClient silent = WsClient.connect();
        WsClient active = WsClient.connect()) {
      WsClient.Close close = null;
      for (int i = 0; i < 30 && close == null; i++) {
        echo(active, "keep-alive " + i); // reads reset the timer; the writes to `silent` do not
        close = silent.awaitClose(Duration.ofMillis(300));
      }
      assertNotNull(close, "the silent connection is closed");
      assertEquals(1008, close.code());
      assertEquals("read timeout", close.reason());
      assertFalse(active.isClosed(), "a connection that keeps sending stays open");
      echo(active, "still open");
    }
    assertEquals(before + 1, Server.metric("ReadTimeouts"));
  }

  @Test
  void messageOverTheWriteLimitClosesTheConnection() throws Exception {
    double before = Server.metric("WriteLimitExceeded");
    try (WsClient c = WsClient.connect()) {
      echo(c, "x".repeat(WRITE_LIMIT / 2)); // the RES fits
      String id =
          c.call("test.echo", WsClient.quote("x".repeat(WRITE_LIMIT)), Duration.ofSeconds(5));
      ack(c.next(), id, 1);
      WsClient.Close close = c.awaitClose(Duration.ofSeconds(5));
      assertNotNull(close, "the RES over the write limit closes the connection");
      assertEquals(1009, close.code());
    }
    assertEquals(before + 1, Server.metric("WriteLimitExceeded"));
  }
}
