package dev.juggler.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.juggler.web.security.internal.InvalidTokenException;
import dev.juggler.web.security.internal.KeyLoader;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  static final KeyPair RSA = generate("RSA");
  static final KeyPair OTHER_RSA = generate("RSA");
  static final KeyPair EC = generate("EC");
  static final String ISSUER = "https://issuer.example";

  private final Instant now = Instant.now();

  static KeyPair generate(String algorithm) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        g.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static TokenVerifier verifier(String pem, String audience) {
    return new TokenVerifier(
        KeyLoader.parse(pem), ISSUER, audience, Duration.ofSeconds(30), "groups");
  }

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("alice")
        .audience("juggler")
        .claim("groups", List.of("user", "admin"))
        .claim("tenant", "acme")
        .expirationTime(Date.from(now.plusSeconds(300)));
  }

  static String sign(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private String rs256(JWTClaimsSet claims) throws Exception {
    return sign(new RSASSASigner(RSA.getPrivate()), JWSAlgorithm.RS256, claims);
  }

  private String reason(TokenVerifier v, String token) {
    return assertThrows(InvalidTokenException.class, () -> v.verify(token, now, true)).getMessage();
  }

  @Test
  void aValidTokenGivesItsIdentity() throws Exception {
    TokenVerifier v = verifier(pem(RSA), "juggler");
    for (JWSAlgorithm alg :
        List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
      Identity id =
          v.verify(sign(new RSASSASigner(RSA.getPrivate()), alg, claims().build()), now, true);
      assertEquals("alice", id.subject());
      assertEquals(java.util.Set.of("user", "admin"), id.roles());
      assertEquals("acme", id.claims().get("tenant"));
      assertFalse(id.expired(now, Duration.ZERO));
    }
    TokenVerifier ec = verifier(pem(EC), null);
    String es256 =
        sign(new ECDSASigner((ECPrivateKey) EC.getPrivate()), JWSAlgorithm.ES256, claims().build());
    assertEquals("alice", ec.verify(es256, now, true).subject());
  }

  @Test
  void rolesMayBeASpaceSeparatedString() throws Exception {
    TokenVerifier v =
        new TokenVerifier(KeyLoader.parse(pem(RSA)), ISSUER, null, Duration.ZERO, "scope");
    Identity id = v.verify(rs256(claims().claim("scope", "read write").build()), now, true);
    assertEquals(java.util.Set.of("read", "write"), id.roles());
  }

  @Test
  void invalidTokensAreRefusedWithAReason() throws Exception {
    TokenVerifier v = verifier(pem(RSA), "juggler");
    assertEquals("malformed token", reason(v, "not.a.token"));
    assertEquals("malformed token", reason(v, "garbage"));
    assertEquals(
        "invalid signature",
        reason(
            v,
            sign(new RSASSASigner(OTHER_RSA.getPrivate()), JWSAlgorithm.RS256, claims().build())));
    assertEquals("wrong issuer", reason(v, rs256(claims().issuer("https://evil.example").build())));
    assertEquals("wrong audience", reason(v, rs256(claims().audience("other").build())));
    assertEquals("wrong audience", reason(v, rs256(claims().audience((String) null).build())));
    assertEquals(
        "token expired",
        reason(v, rs256(claims().expirationTime(Date.from(now.minusSeconds(31))).build())));
    assertEquals(
        "token not yet valid",
        reason(v, rs256(claims().notBeforeTime(Date.from(now.plusSeconds(31))).build())));
    assertEquals(
        "token has no expiry (exp)", reason(v, rs256(claims().expirationTime(null).build())));
    assertEquals("token has no subject (sub)", reason(v, rs256(claims().subject(null).build())));
    // a tampered payload
    String[] parts = rs256(claims().build()).split("\\.");
    String forged =
        parts[0]
            + "."
            + Base64URL.encode(claims().subject("root").build().toString())
            + "."
            + parts[2];
    assertEquals("invalid signature", reason(v, forged));
  }

  @Test
  void theClockSkewIsAllowed() throws Exception {
    TokenVerifier v = verifier(pem(RSA), null);
    String expiredJustNow = rs256(claims().expirationTime(Date.from(now.minusSeconds(10))).build());
    Identity id = v.verify(expiredJustNow, now, true);
    assertFalse(id.expired(now, Duration.ofSeconds(30)));
    assertTrue(id.expired(now, Duration.ZERO));
    String notYet = rs256(claims().notBeforeTime(Date.from(now.plusSeconds(10))).build());
    assertEquals("alice", v.verify(notYet, now, true).subject());
  }

  @Test
  void expiryCanBeLeftToTheConnection() throws Exception {
    TokenVerifier v = verifier(pem(RSA), null);
    String expired = rs256(claims().expirationTime(Date.from(now.minusSeconds(60))).build());
    assertTrue(v.verify(expired, now, false).expired(now, Duration.ofSeconds(30)));
  }

  @Test
  void noneAndAlgorithmConfusionAreRefused() throws Exception {
    TokenVerifier v = verifier(pem(RSA), null);
    String none = new PlainJWT(claims().build()).serialize();
    assertEquals("unsigned or encrypted token (alg none) not accepted", reason(v, none));
    // the classic confusion: HS256 with the RSA public key (as PEM text, or DER) as the secret
    String hsPem = sign(new MACSigner(pem(RSA).getBytes()), JWSAlgorithm.HS256, claims().build());
    assertEquals("algorithm HS256 not accepted", reason(v, hsPem));
    String hsDer =
        sign(new MACSigner(RSA.getPublic().getEncoded()), JWSAlgorithm.HS256, claims().build());
    assertEquals("algorithm HS256 not accepted", reason(v, hsDer));
    // an EC algorithm against RSA keys
    String es256 =
        sign(new ECDSASigner((ECPrivateKey) EC.getPrivate()), JWSAlgorithm.ES256, claims().build());
    assertEquals("algorithm ES256 not accepted", reason(v, es256));
  }

  @Test
  void keysComeAsPemOrJwks() throws Exception {
    String jwks =
        "{\"keys\":["
            + new com.nimbusds.jose.jwk.RSAKey.Builder(
                    (java.security.interfaces.RSAPublicKey) RSA.getPublic())
                .keyID("k1")
                .build()
                .toJSONString()
            + "]}";
    TokenVerifier v =
        new TokenVerifier(KeyLoader.parse(jwks), ISSUER, null, Duration.ZERO, "groups");
    assertEquals("alice", v.verify(rs256(claims().build()), now, true).subject());
    // a PEM on one line with escaped newlines, as an environment variable may hold it
    String oneLine = pem(RSA).replace("\n", "\\n");
    assertEquals(1, KeyLoader.parse(oneLine).getKeys().size());
    assertEquals(2, KeyLoader.parse(pem(RSA) + pem(EC)).getKeys().size());
    assertThrows(IllegalArgumentException.class, () -> KeyLoader.parse("hello"));
    assertThrows(IllegalArgumentException.class, () -> KeyLoader.parse("{\"keys\":[]}"));
    assertThrows(
        IllegalArgumentException.class,
        () -> KeyLoader.parse("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
    assertThrows(IllegalArgumentException.class, () -> KeyLoader.load("/no/such/file.pem"));
  }
}
