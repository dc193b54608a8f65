package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Handshakes;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The origin allow-list: allowed origins connect, others get HTTP 403, no Origin connects. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class OriginIT {

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.security.allowed-origins", "https://app.example.com, https://*.example.org:8443");
  }

  private static void assertServes(WsClient c) {
    String id = c.call("test.echo", "\"ok\"", Waits.SOON);
    ack(c.next(), id, 1);
    res(c.next(), id, "test.echo");
  }

  @Test
  void allowedOriginsConnect() {
    for (String origin :
        List.of(
            "https://app.example.com",
            "HTTPS://APP.example.com:443",
            "https://a.example.org:8443")) {
      try (WsClient c = WsClient.connect("Origin", origin)) {
        assertServes(c);
      }
    }
  }

  @Test
  void otherOriginsGet403() throws Exception {
    List<String> others =
        List.of(
            "https://evil.example.com",
            "http://app.example.com",
            "https://app.example.com:8443",
            "https://example.org:8443",
            "null");
    double before = Server.taggedMetric("RefusedHandshakes", "status=\"403\"");
    for (String origin : others) {
      HttpResponse<?> refused = Handshakes.refused(() -> WsClient.connect("Origin", origin));
      assertEquals(403, refused.statusCode(), origin);
      assertTrue(String.valueOf(refused.body()).contains("origin not allowed"), origin);
    }
    assertEquals(
        before + others.size(), Server.taggedMetric("RefusedHandshakes", "status=\"403\""));
  }

  @Test
  void noOriginConnects() {
    try (WsClient c = WsClient.connect()) {
      assertServes(c);
    }
  }
}
