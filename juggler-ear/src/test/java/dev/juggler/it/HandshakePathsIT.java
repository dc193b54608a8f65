package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Jwts;
import dev.juggler.it.support.RawWs;
import dev.juggler.it.support.Server;
import dev.juggler.test.redis.RedisExtension;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every way into the endpoint passes the same handshake checks: the container upgrades paths other
 * than {@code /ws} to it ({@code /ws/}, {@code /ws//}, {@code /ws/;x}…), and none of those may
 * upgrade with a check skipped. Each path variant is tried with each check (a forged origin, an
 * {@code alg: none} token, no juggler.0 subprotocol, a bad {@code Juggler-Allowed-Messages}), and
 * with none failing; the exact path gets each check's status, and no variant upgrades at all.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class HandshakePathsIT {
  private static final KeyPair KEY = Jwts.rsa();
  private static final String ISSUER = "https://issuer.it.example";
  private static final String AUDIENCE = "juggler-it";

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.security.allowed-origins",
        "https://app.example.com",
        "juggler.security.jwt.public-key",
        Jwts.pemProperty(KEY),
        "juggler.security.jwt.issuer",
        ISSUER,
        "juggler.security.jwt.audience",
        AUDIENCE);
  }

  private static final List<String> VARIANTS =
      List.of(
          "/ws/",
          "/ws//",
          "/ws/?a=b",
          "/ws;x",
          "/ws/;x",
          "/ws%2f",
          "/ws%2F",
          "/./ws",
          "/ws/.",
          "/ws/./",
          "/x/../ws",
          "//ws",
          "/WS",
          "/Ws",
          "/ws%20",
          "/%77s");

  private static String noneToken() {
    return new PlainJWT(
            new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("mallory")
                .audience(AUDIENCE)
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build())
        .serialize();
  }

  /** A failing check: its name, its status on the exact path, and the headers that fail it. */
  private record Check(String name, int status, String... headers) {}

  private static List<Check> checks() {
    String juggler = "Sec-WebSocket-Protocol: juggler.0";
    return List.of(
        new Check("forged origin", 403, juggler, "Origin: https://evil.example.com"),
        new Check("alg none token", 401, juggler, "Authorization: Bearer " + noneToken()),
        new Check("no juggler.0 subprotocol", 400),
        new Check(
            "bad Juggler-Allowed-Messages", 400, juggler, "Juggler-Allowed-Messages: call,res"),
        new Check("nothing wrong", 101, juggler, "Origin: https://app.example.com"));
  }

  private static int status(String path, String... headers) throws Exception {
    try (RawWs ws = RawWs.handshake(RawWs.request(path, headers))) {
      return ws.response().status();
    }
  }

  @Test
  void theExactPathGetsEachCheck() throws Exception {
    for (Check check : checks()) {
      assertEquals(check.status(), status("/ws", check.headers()), check.name());
      assertEquals(check.status(), status("/ws?a=b", check.headers()), check.name() + ", query");
    }
  }

  /**
   * The servlet container takes {@code ;jsessionid=} as a session id, not as part of the path: that
   * request is for {@code /ws}, and every check applies to it.
   */
  @Test
  void aSessionIdInThePathGetsEachCheck() throws Exception {
    for (Check check : checks()) {
      assertEquals(check.status(), status("/ws;jsessionid=1", check.headers()), check.name());
    }
  }

  @Test
  void noOtherPathUpgrades() throws Exception {
    double before = Server.metric("ActiveConns");
    List<String> upgraded = new ArrayList<>();
    for (String path : VARIANTS) {
      for (Check check : checks()) {
        int status = status(path, check.headers());
        if (status == 101) {
          upgraded.add(path + " with " + check.name());
        }
        assertNotEquals(-1, status, path + " with " + check.name() + ": no response");
      }
    }
    assertEquals(List.of(), upgraded, "upgraded on a path other than /ws");
    assertEquals(before, Server.metric("ActiveConns"));
  }
}
