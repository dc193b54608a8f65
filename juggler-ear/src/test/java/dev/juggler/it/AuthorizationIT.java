package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static dev.juggler.it.support.Frames.res;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Jwts;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Authorization rules by role, claim, for any valid token and for anonymous connections, pattern
 * subscriptions covered or not; EC keys read from a JWK set file. Nothing needs authentication
 * here, so that the {@code any} rule is what anonymous connections get.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class AuthorizationIT {
  private static final KeyPair KEY = Jwts.ec();
  private static final String ISSUER = "https://issuer.it.example";
  private static final String RULES =
      "role:admin=call:*,sub:*,pub:*;role:user=call:test.*,sub:chat.*,pub:chat.*;"
          + "claim:tenant=acme=sub:acme.*;authenticated=call:test.echo;any=sub:public.*";

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.security.jwt.public-key-location",
        jwksFile().toString(),
        "juggler.security.jwt.issuer",
        ISSUER,
        "juggler.security.auth.protected",
        "none",
        "juggler.security.authz.rules",
        RULES);
  }

  private static Path jwksFile() {
    try {
      Path file = Files.createTempFile("juggler-it-jwks", ".json");
      file.toFile().deleteOnExit();
      ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) KEY.getPublic()).keyID("it").build();
      Files.writeString(file, new JWKSet(jwk).toString());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static WsClient as(List<String> groups, String tenant) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("bob")
            .claim("groups", groups)
            .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    if (tenant != null) {
      claims.claim("tenant", tenant);
    }
    return WsClient.connect("Authorization", "Bearer " + Jwts.sign(KEY, claims.build()));
  }

  private static void denied(WsClient c, String type, String name, boolean pattern) {
    String id =
        switch (type) {
          case "CALL" -> c.call(name, "\"x\"", Waits.SOON);
          case "PUB" -> c.pub(name, "1");
          default -> c.sub(name, pattern);
        };
    int code =
        switch (type) {
          case "CALL" -> 1;
          case "PUB" -> 2;
          default -> 3;
        };
    assertEquals(
        "not authorized: " + type + " " + name, nack(c.next(), id, code, 403).getString("message"));
  }

  private static void calls(WsClient c, String uri) {
    String id = c.call(uri, "\"ok\"", Waits.SOON);
    ack(c.next(), id, 1);
    res(c.next(), id, uri);
  }

  @Test
  void aUserMayDoWhatItsRoleAllows() throws Exception {
    double before = Server.metric("Unauthorized");
    try (WsClient user = as(List.of("user"), null)) {
      calls(user, "test.echo");
      denied(user, "CALL", "admin.reset", false);
      Frames.published(user, "chat.lobby", "1");
      denied(user, "PUB", "news", false);
      Frames.subscribed(user, "chat.lobby", false);
      Frames.subscribed(user, "chat.room?", true);
      Frames.subscribed(user, "chat.*", true);
      denied(user, "SUB", "*", true);
      denied(user, "SUB", "ch*", true);
      denied(user, "SUB", "chat", false);
      denied(user, "SUB", "acme.news", false);
      Frames.unsubscribed(user, "news", false); // UNSB is always allowed
    }
    assertEquals(before + 6, Server.metric("Unauthorized"));
  }

  @Test
  void anAdminMayDoEverything() {
    try (WsClient admin = as(List.of("admin"), null)) {
      Frames.published(admin, "anything", "1");
      Frames.subscribed(admin, "*", true);
      calls(admin, "test.reverse");
    }
  }

  @Test
  void aClaimGrantsItsPermissions() {
    try (WsClient acme = as(List.of(), "acme");
        WsClient other = as(List.of(), "globex")) {
      calls(acme, "test.echo"); // any valid token
      denied(acme, "CALL", "test.reverse", false);
      Frames.subscribed(acme, "acme.news", false);
      Frames.subscribed(acme, "acme.*", true);
      denied(acme, "PUB", "acme.news", false);
      denied(acme, "SUB", "a*", true);
      denied(other, "SUB", "acme.news", false);
    }
  }

  @Test
  void anonymousConnectionsGetTheAnyRule() {
    try (WsClient anonymous = WsClient.connect()) {
      Frames.subscribed(anonymous, "public.news", false);
      Frames.subscribed(anonymous, "public.*", true);
      denied(anonymous, "SUB", "*", true);
      denied(anonymous, "SUB", "chat.lobby", false);
      denied(anonymous, "CALL", "test.echo", false);
      denied(anonymous, "PUB", "public.news", false);
      Frames.unsubscribed(anonymous, "chat.lobby", false);
    }
  }
}
