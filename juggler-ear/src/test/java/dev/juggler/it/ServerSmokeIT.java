package dev.juggler.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.juggler.test.redis.RedisExtension;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The packaged server comes up: WebSocket handshakes at /ws and metrics at /metrics. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class ServerSmokeIT {
  private static final String SUBPROTOCOL = "juggler.0";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    String path = System.getProperty("juggler.it.ear", "target/juggler.ear");
    return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(path));
  }

  /** Arquillian names the host {@code localhost}; only its port is used, with 127.0.0.1. */
  @ArquillianResource URL base;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Test
  void handshakeWithTheSubprotocolNegotiatesIt() throws Exception {
    WebSocket ws =
        http.newWebSocketBuilder()
            .subprotocols(SUBPROTOCOL)
            .connectTimeout(TIMEOUT)
            .buildAsync(endpoint(), new WebSocket.Listener() {})
            .get(TIMEOUT.toSeconds(), SECONDS);
    try {
      assertEquals(SUBPROTOCOL, ws.getSubprotocol());
    } finally {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT.toSeconds(), SECONDS);
    }
  }

  @Test
  void handshakeWithoutTheSubprotocolIsRefused() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                http.newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(endpoint(), new WebSocket.Listener() {})
                    .get(TIMEOUT.toSeconds(), SECONDS));
    WebSocketHandshakeException refused =
        assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
    assertEquals(400, refused.getResponse().statusCode());
  }

  @Test
  void metricsAreReadableWithoutCredentials() throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(server("http", "/metrics")).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res::body);
  }

  private URI endpoint() {
    return server("ws", "/ws");
  }

  private URI server(String scheme, String path) {
    return URI.create(scheme + "://127.0.0.1:" + base.getPort() + path);
  }
}
