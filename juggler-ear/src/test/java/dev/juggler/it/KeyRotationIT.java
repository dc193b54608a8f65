package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.res;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.juggler.it.support.Handshakes;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Jwts;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The issuer rotates its signing key: the server, which reads the issuer's JWK set from an http URL
 * (served here by the test), accepts tokens of the new key without a restart and refuses the
 * retired one.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class KeyRotationIT {
  private static final KeyPair OLD = Jwts.rsa();
  private static final KeyPair NEW = Jwts.rsa();
  private static final String ISSUER = "https://rotating.it.example";
  private static final AtomicReference<String> PUBLISHED =
      new AtomicReference<>(Jwts.jwks(OLD, "old"));
  private static final HttpServer JWKS = jwksServer();

  private static HttpServer jwksServer() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/jwks",
          exchange -> {
            byte[] body = PUBLISHED.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.security.jwt.public-key-location",
        "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks",
        "juggler.security.jwt.issuer",
        ISSUER);
  }

  @AfterAll
  static void stopIssuer() {
    JWKS.stop(0);
  }

  private static String token(KeyPair pair, String kid) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("alice")
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .build();
    return Jwts.signRsa(pair, kid, claims);
  }

  private static void assertServes(String token) {
    try (WsClient c = WsClient.connect("Authorization", "Bearer " + token)) {
      String id = c.call("test.echo", "\"ok\"", Waits.SOON);
      ack(c.next(), id, 1);
      res(c.next(), id, "test.echo");
    }
  }

  @Test
  void tokensOfANewKeyAreAcceptedAndTheRetiredKeyIsRefused() {
    assertServes(token(OLD, "old"));

    PUBLISHED.set(Jwts.jwks(NEW, "new"));
    assertServes(token(NEW, "new"));
    assertEquals(
        401,
        Handshakes.refused(() -> WsClient.connect("Authorization", "Bearer " + token(OLD, "old")))
            .statusCode());
  }
}
