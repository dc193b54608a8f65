package dev.juggler.it;

import static dev.juggler.it.support.Frames.ACK;
import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static dev.juggler.it.support.Frames.res;
import static dev.juggler.it.support.Frames.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.juggler.it.support.Frames;
import dev.juggler.it.support.Handshakes;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Jwts;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * JWT authentication: a valid token (header or access_token) serves protected requests; no token
 * opens an anonymous connection whose protected requests get NACK 401; an invalid token refuses the
 * handshake with 401; a token that expires mid-connection stops serving protected requests.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class AuthenticationIT {
  private static final KeyPair KEY = Jwts.rsa();
  private static final KeyPair OTHER = Jwts.rsa();
  private static final String ISSUER = "https://issuer.it.example";
  private static final String AUDIENCE = "juggler-it";

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.security.jwt.public-key",
        Jwts.pemProperty(KEY),
        "juggler.security.jwt.issuer",
        ISSUER,
        "juggler.security.jwt.audience",
        AUDIENCE,
        "juggler.security.jwt.clock-skew",
        "0",
        "juggler.security.auth.protected",
        "call:test.*,sub:private.*,pub:private.*");
  }

  private static JWTClaimsSet.Builder claims(Duration life) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("alice")
        .audience(AUDIENCE)
        .claim("groups", List.of("user"))
        .expirationTime(Date.from(Instant.now().plus(life)));
  }

  private static String token() {
    return Jwts.sign(KEY, claims(Duration.ofMinutes(5)).build());
  }

  private static WsClient withHeader(String token) {
    return WsClient.connect("Authorization", "Bearer " + token);
  }

  private static void assertServes(WsClient c) {
    String id = c.call("test.echo", "\"ok\"", Waits.SOON);
    ack(c.next(), id, 1);
    res(c.next(), id, "test.echo");
  }

  @Test
  void aValidTokenInTheHeaderServesProtectedRequests() {
    try (WsClient c = withHeader(token())) {
      assertServes(c);
      Frames.subscribed(c, "private.news", false);
      Frames.published(c, "private.other", "1"); // not to itself: its ACK comes first
    }
  }

  @Test
  void aValidTokenInAccessTokenServesProtectedRequests() {
    URI uri = URI.create(WsClient.endpoint() + "?access_token=" + token());
    try (WsClient c = WsClient.connectTo(uri)) {
      assertServes(c);
    }
  }

  @Test
  void withoutATokenProtectedRequestsGet401() throws Exception {
    double before = Server.metric("Unauthenticated");
    try (WsClient c = WsClient.connect()) {
      String call = c.call("test.echo", "\"ok\"", Waits.SOON);
      assertEquals("authentication required", nack(c.next(), call, 1, 401).getString("message"));
      String sub = c.sub("private.news", false);
      nack(c.next(), sub, 3, 401);
      String all = c.sub("*", true); // would receive private.* events
      nack(c.next(), all, 3, 401);
      String pub = c.pub("private.news", "1");
      nack(c.next(), pub, 2, 401);
      // unprotected requests go on; UNSB is never refused
      Frames.subscribed(c, "public.news", false);
      Frames.subscribed(c, "public.*", true);
      Frames.published(c, "open.news", "1");
      Frames.unsubscribed(c, "private.news", false);
    }
    assertEquals(before + 4, Server.metric("Unauthenticated"));
  }

  /**
   * A pattern that can match no channel overlaps no protected glob, and was once ACKed to anyone:
   * each grew Redis' pattern list, which every PUBLISH pays for.
   */
  @Test
  void aPatternThatCanMatchNoChannelIsProtectedToo(TestRedis redis) throws Exception {
    double before = Server.metric("Unauthenticated");
    try (WsClient c = WsClient.connect();
        Jedis jedis = new Jedis(redis.host(), redis.port())) {
      long patterns = jedis.pubsubNumPat();
      for (String nothing : List.of("[]x", "public.[]", "[]")) {
        String id = c.sub(nothing, true);
        assertEquals(
            "authentication required", nack(c.next(), id, 3, 401).getString("message"), nothing);
      }
      assertEquals(patterns, jedis.pubsubNumPat(), "no pattern reached Redis");
      Frames.subscribed(c, "public.[]", false); // a channel of that name is not a pattern
    }
    assertEquals(before + 3, Server.metric("Unauthenticated"));
    try (WsClient c = withHeader(token())) {
      Frames.subscribed(c, "[]x", true); // with a token: bounded by the subscription limit
    }
  }

  @Test
  void invalidTokensRefuseTheHandshakeWith401() throws Exception {
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("token expired", Jwts.sign(KEY, claims(Duration.ofSeconds(-5)).build()));
    tokens.put(
        "token not yet valid",
        Jwts.sign(
            KEY,
            claims(Duration.ofMinutes(5))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(60)))
                .build()));
    tokens.put("invalid signature", Jwts.sign(OTHER, claims(Duration.ofMinutes(5)).build()));
    tokens.put(
        "wrong issuer",
        Jwts.sign(KEY, claims(Duration.ofMinutes(5)).issuer("https://evil.example").build()));
    tokens.put(
        "wrong audience",
        Jwts.sign(KEY, claims(Duration.ofMinutes(5)).audience("someone-else").build()));
    tokens.put("malformed token", "eyJhbGciOi.not-a-token");
    tokens.put(
        "unsigned or encrypted token (alg none) not accepted",
        new PlainJWT(claims(Duration.ofMinutes(5)).build()).serialize());
    // algorithm confusion: HMAC "signed" with the server's public key as the secret
    tokens.put(
        "algorithm HS256 not accepted",
        Jwts.sign(
            new MACSigner(Jwts.pem(KEY).getBytes(StandardCharsets.US_ASCII)),
            JWSAlgorithm.HS256,
            claims(Duration.ofMinutes(5)).build()));
    double before = Server.taggedMetric("RefusedHandshakes", "status=\"401\"");
    for (Map.Entry<String, String> e : tokens.entrySet()) {
      HttpResponse<?> refused = Handshakes.refused(() -> withHeader(e.getValue()));
      assertEquals(401, refused.statusCode(), e.getKey());
      assertEquals(
          "Bearer error=\"invalid_token\", error_description=\"" + e.getKey() + "\"",
          refused.headers().firstValue("WWW-Authenticate").orElse(null),
          e.getKey());
    }
    // the same through access_token
    URI uri = URI.create(WsClient.endpoint() + "?access_token=" + tokens.get("wrong issuer"));
    assertEquals(401, Handshakes.refused(() -> WsClient.connectTo(uri)).statusCode());
    assertEquals(
        before + tokens.size() + 1, Server.taggedMetric("RefusedHandshakes", "status=\"401\""));
  }

  @Test
  void aTokenExpiringMidConnectionGets401TokenExpired() throws Exception {
    // exp has whole seconds: at least 2 s of life
    Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3);
    String shortLived =
        Jwts.sign(KEY, claims(Duration.ZERO).expirationTime(Date.from(exp)).build());
    try (WsClient c = withHeader(shortLived)) {
      assertServes(c);
      Frames.subscribed(c, "public.news", false); // unprotected: served before and after
      long deadline = Waits.deadline();
      JsonObject answer;
      String id;
      do {
        Thread.sleep(200);
        id = c.call("test.echo", "\"ok\"", Waits.SOON);
        answer = c.next();
        if (type(answer) == ACK) {
          res(c.next(), id, "test.echo");
        }
      } while (type(answer) == ACK && System.nanoTime() < deadline);
      assertTrue(Instant.now().isAfter(exp), "refused only once expired");
      assertEquals("token expired", nack(answer, id, 1, 401).getString("message"));
      Frames.subscribed(c, "public.other", false);
    }
  }
}
