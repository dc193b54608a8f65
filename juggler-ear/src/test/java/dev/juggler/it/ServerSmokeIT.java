package dev.juggler.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.RawWs;
import dev.juggler.it.support.Waits;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.Json;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
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
  private static final Duration TIMEOUT = Waits.SOON;

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

  /**
   * A connection holds no HTTP session: the container makes one at every upgrade unless the
   * handshake filter hides it, and each connection would then keep a session that Juggler never
   * uses until it timed out.
   */
  @Test
  void aConnectionHoldsNoHttpSession() throws Exception {
    try (RawWs ws = RawWs.connect()) {
      String head = ws.response().head();
      assertFalse(head.toLowerCase(Locale.ROOT).contains("set-cookie"), head);
      String uuid = UUID.randomUUID().toString();
      ws.send(RawWs.text(RawWs.call(uuid, "no session")));
      RawWs.Frame ack = ws.read(TIMEOUT);
      assertNotNull(ack, "no ACK");
      Frames.ack(Json.createReader(new StringReader(ack.text())).readObject(), uuid, 1);
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
