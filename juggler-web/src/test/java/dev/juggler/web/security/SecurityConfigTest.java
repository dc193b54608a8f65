package dev.juggler.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup validation: every problem is reported naming its property. */
class SecurityConfigTest {
  private static final String PEM = pem();

  private static String pem() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded())
          + "\n-----END PUBLIC KEY-----";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The defaults, as MicroProfile Config would inject them. */
  private static SecurityConfig config() {
    SecurityConfig c = new SecurityConfig();
    c.allowedOrigins = Optional.empty();
    c.publicKey = Optional.empty();
    c.publicKeyLocation = Optional.empty();
    c.issuer = Optional.empty();
    c.audience = Optional.empty();
    c.clockSkewMillis = 30000;
    c.rolesClaim = "groups";
    c.protectedRequests = "call:*,sub:*,pub:*";
    c.rules = Optional.empty();
    return c;
  }

  private static String problem(SecurityConfig c) {
    return assertThrows(IllegalArgumentException.class, c::validate).getMessage();
  }

  @Test
  void everythingIsOffByDefault() {
    SecurityConfig c = config();
    c.validate();
    assertTrue(c.origins().allowsAny());
    assertFalse(c.jwtEnabled());
    assertNull(c.rules());
  }

  @Test
  void jwtWithAKeyTextOrLocation(@TempDir Path dir) throws Exception {
    SecurityConfig c = config();
    c.publicKey = Optional.of(PEM);
    c.issuer = Optional.of("https://issuer.example");
    c.validate();
    assertTrue(c.jwtEnabled());

    Path file = dir.resolve("key.pem");
    Files.writeString(file, PEM);
    SecurityConfig fromFile = config();
    fromFile.publicKeyLocation = Optional.of(file.toString());
    fromFile.issuer = Optional.of("https://issuer.example");
    fromFile.validate();
    assertTrue(fromFile.jwtEnabled());
    SecurityConfig fromUrl = config();
    fromUrl.publicKeyLocation = Optional.of(file.toUri().toString());
    fromUrl.issuer = Optional.of("https://issuer.example");
    fromUrl.validate();
    assertTrue(fromUrl.jwtEnabled());
  }

  @Test
  void problemsNameTheirProperty() {
    SecurityConfig noIssuer = config();
    noIssuer.publicKey = Optional.of(PEM);
    assertEquals(
        "juggler.security.jwt.issuer is required when JWT authentication is on", problem(noIssuer));

    SecurityConfig both = config();
    both.publicKey = Optional.of(PEM);
    both.publicKeyLocation = Optional.of("/etc/key.pem");
    assertTrue(problem(both).startsWith("set juggler.security.jwt.public-key or"));

    SecurityConfig badKey = config();
    badKey.publicKey = Optional.of("not a key");
    badKey.issuer = Optional.of("x");
    assertTrue(problem(badKey).startsWith("juggler.security.jwt.public-key: "));

    SecurityConfig missingFile = config();
    missingFile.publicKeyLocation = Optional.of("/no/such/key.pem");
    missingFile.issuer = Optional.of("x");
    assertTrue(problem(missingFile).startsWith("juggler.security.jwt.public-key-location: "));

    SecurityConfig strayIssuer = config();
    strayIssuer.issuer = Optional.of("x");
    assertTrue(problem(strayIssuer).startsWith("juggler.security.jwt.issuer is set, but"));

    SecurityConfig skew = config();
    skew.clockSkewMillis = -1;
    assertTrue(problem(skew).startsWith("juggler.security.jwt.clock-skew "));

    SecurityConfig origins = config();
    origins.allowedOrigins = Optional.of("https://ok.example, example.com");
    assertTrue(
        problem(origins).startsWith("juggler.security.allowed-origins: 'example.com' is not"));

    SecurityConfig prot = config();
    prot.protectedRequests = "call:*,everything";
    assertTrue(problem(prot).startsWith("juggler.security.auth.protected: 'everything'"));

    SecurityConfig rules = config();
    rules.rules = Optional.of("any=sub:public.*;role:admin=call:*,sub:[oops");
    assertEquals(
        "juggler.security.authz.rules: rule 'role:admin=call:*,sub:[oops': 'sub:[oops':"
            + " unterminated [ class in [oops",
        problem(rules));
  }
}
