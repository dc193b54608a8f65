package dev.juggler.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.juggler.web.security.internal.InvalidTokenException;
import dev.juggler.web.security.internal.KeyLoader;
import dev.juggler.web.security.internal.KeySource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JWK set at an http URL, as identity providers publish theirs, rotated while in use. */
class KeySourceTest {
  private static final KeyPair OLD = TokenVerifierTest.generate("RSA");
  private static final KeyPair NEW = TokenVerifierTest.generate("RSA");

  private final AtomicReference<String> published = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer issuer;
  private String url;

  @BeforeEach
  void publish() throws Exception {
    published.set(jwks(OLD, "old"));
    issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    issuer.start();
    url = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/jwks";
  }

  @AfterEach
  void stop() {
    issuer.stop(0);
  }

  private static String jwks(KeyPair pair, String kid) {
    return new JWKSet(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).build())
        .toString();
  }

  private static String token(KeyPair pair, String kid) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(TokenVerifierTest.ISSUER)
            .subject("alice")
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(),
            claims);
    jwt.sign(new RSASSASigner(pair.getPrivate()));
    return jwt.serialize();
  }

  private TokenVerifier verifier(Duration refresh) {
    JWKSet startup = KeyLoader.load(url);
    return new TokenVerifier(
        startup,
        KeySource.remote(url, refresh),
        TokenVerifierTest.ISSUER,
        null,
        Duration.ZERO,
        "groups");
  }

  @Test
  void aRotatedKeyIsFetchedWhenATokenNamesItAndTheRetiredOneIsRefused() throws Exception {
    TokenVerifier verifier = verifier(Duration.ofMinutes(5));
    assertEquals("alice", verifier.verify(token(OLD, "old"), Instant.now(), true).subject());

    published.set(jwks(NEW, "new")); // the issuer rotates: "old" is retired
    assertEquals("alice", verifier.verify(token(NEW, "new"), Instant.now(), true).subject());
    InvalidTokenException retired =
        assertThrows(
            InvalidTokenException.class,
            () -> verifier.verify(token(OLD, "old"), Instant.now(), true));
    assertTrue(retired.getMessage().startsWith("token not verifiable"), retired.getMessage());
  }

  @Test
  void unknownKeyIdsCannotMakeItFetchOverAndOver() throws Exception {
    TokenVerifier verifier = verifier(Duration.ofMinutes(5));
    verifier.verify(token(OLD, "old"), Instant.now(), true);
    int before = fetches.get();
    for (int i = 0; i < 20; i++) {
      String forged = token(NEW, "forged-" + i);
      assertThrows(InvalidTokenException.class, () -> verifier.verify(forged, Instant.now(), true));
    }
    assertTrue(fetches.get() - before <= 2, "fetched " + (fetches.get() - before) + " times");
  }

  @Test
  void theLastGoodKeysServeWhileTheIssuerIsDown() throws Exception {
    TokenVerifier verifier = verifier(Duration.ofSeconds(1));
    verifier.verify(token(OLD, "old"), Instant.now(), true);
    issuer.stop(0);
    Thread.sleep(1_500); // past the cache time: a fetch is due and fails
    assertEquals("alice", verifier.verify(token(OLD, "old"), Instant.now(), true).subject());
  }
}
