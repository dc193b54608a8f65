package dev.juggler.it.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Keys made by the tests, and tokens signed with them (nimbus-jose-jwt). */
public final class Jwts {
  private Jwts() {}

  /** A fresh RSA 2048 key pair. */
  public static KeyPair rsa() {
    return generate("RSA");
  }

  /** A fresh EC P-256 key pair. */
  public static KeyPair ec() {
    return generate("EC");
  }

  private static KeyPair generate(String algorithm) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        g.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as PEM text. */
  public static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The PEM as one line of a properties file ({@code \n} escapes). */
  public static String pemProperty(KeyPair pair) {
    return pem(pair).replace("\n", "\\n");
  }

  /** Signs the claims with the pair's private key: RS256 for RSA, ES256 for EC. */
  public static String sign(KeyPair pair, JWTClaimsSet claims) {
    try {
      if (pair.getPrivate() instanceof ECPrivateKey ec) {
        return sign(new ECDSASigner(ec), JWSAlgorithm.ES256, claims);
      }
      return sign(new RSASSASigner(pair.getPrivate()), JWSAlgorithm.RS256, claims);
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs the claims with any signer and algorithm, forged ones included. */
  public static String sign(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** Signs the claims RS256 with an RSA pair's private key, naming the key {@code kid}. */
  public static String signRsa(KeyPair pair, String kid, JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(),
            claims);
    try {
      jwt.sign(new RSASSASigner(pair.getPrivate()));
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** A JWK set of the pair's RSA public key, named {@code kid}, as an issuer publishes it. */
  public static String jwks(KeyPair pair, String kid) {
    return new com.nimbusds.jose.jwk.JWKSet(
            new com.nimbusds.jose.jwk.RSAKey.Builder(
                    (java.security.interfaces.RSAPublicKey) pair.getPublic())
                .keyID(kid)
                .build())
        .toString();
  }
}
