package dev.juggler.web.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.juggler.web.security.internal.InvalidTokenException;
import dev.juggler.web.security.internal.KeySource;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies JWTs signed with one of the configured public keys, on nimbus-jose-jwt. Accepted: RS256,
 * RS384, RS512 and PS256 for RSA keys, ES256 for P-256 and ES384 for P-384 keys; never {@code
 * none}, never HMAC (a token "signed" with the public key as an HMAC secret is refused before any
 * key is looked at), never encrypted tokens. Claims: {@code iss} must equal the issuer, {@code aud}
 * contain the audience when one is configured, {@code exp} and {@code sub} must be there, {@code
 * exp} and {@code nbf} are checked with the clock skew. Immutable and thread-safe.
 */
public final class TokenVerifier {
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Set<JWSAlgorithm> algorithms;
  private final String issuer;
  private final String audience;
  private final Duration skew;
  private final String rolesClaim;

  /**
   * @param audience {@code null} for no audience check
   * @throws IllegalArgumentException when no key suits an accepted algorithm
   */
  public TokenVerifier(
      JWKSet keys, String issuer, String audience, Duration skew, String rolesClaim) {
    this(keys, KeySource.fixed(keys), issuer, audience, skew, rolesClaim);
  }

  /**
   * Verifies with the keys of {@code source} (which may change: see {@link KeySource}), accepting
   * the algorithms that suit the keys read at startup.
   *
   * @param audience {@code null} for no audience check
   * @throws IllegalArgumentException when no key suits an accepted algorithm
   */
  public TokenVerifier(
      JWKSet startupKeys,
      JWKSource<SecurityContext> source,
      String issuer,
      String audience,
      Duration skew,
      String rolesClaim) {
    this.algorithms = algorithms(startupKeys);
    this.issuer = issuer;
    this.audience = audience;
    this.skew = skew;
    this.rolesClaim = rolesClaim;
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, source));
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT,
            new JOSEObjectType("at+jwt"),
            new JOSEObjectType("application/at+jwt"),
            null));
    processor.setJWTClaimsSetVerifier(null); // the claims are checked below, with our messages
  }

  private static Set<JWSAlgorithm> algorithms(JWKSet keys) {
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    for (JWK k : keys.getKeys()) {
      if (k instanceof RSAKey) {
        algs.addAll(
            List.of(
                JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256));
      } else if (k instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
        algs.add(JWSAlgorithm.ES256);
      } else if (k instanceof ECKey ec && Curve.P_384.equals(ec.getCurve())) {
        algs.add(JWSAlgorithm.ES384);
      }
    }
    if (algs.isEmpty()) {
      throw new IllegalArgumentException(
          "no RSA, EC P-256 or EC P-384 public key among " + keys.getKeys().size() + " keys");
    }
    return java.util.Collections.unmodifiableSet(algs);
  }

  /** The algorithms tokens may be signed with, given the keys. */
  public Set<JWSAlgorithm> algorithms() {
    return algorithms;
  }

  /**
   * Verifies a token at {@code now}.
   *
   * @param checkExpiry false to accept an expired token (the identity then says it has expired)
   * @return the identity the token states
   * @throws InvalidTokenException saying what is wrong, in words fit for the client
   */
  public Identity verify(String token, Instant now, boolean checkExpiry)
      throws InvalidTokenException {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw InvalidTokenException.invalid("malformed token");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw InvalidTokenException.invalid(
          "unsigned or encrypted token (alg " + jwt.getHeader().getAlgorithm() + ") not accepted");
    }
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    if (!algorithms.contains(alg)) {
      throw InvalidTokenException.invalid("algorithm " + alg + " not accepted");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(signed, null);
    } catch (BadJWSException e) {
      throw InvalidTokenException.invalid("invalid signature");
    } catch (BadJOSEException | JOSEException e) {
      throw InvalidTokenException.invalid("token not verifiable: no matching key or bad header");
    }
    return identity(claims, now, checkExpiry);
  }

  private Identity identity(JWTClaimsSet claims, Instant now, boolean checkExpiry)
      throws InvalidTokenException {
    if (!issuer.equals(claims.getIssuer())) {
      throw InvalidTokenException.invalid("wrong issuer");
    }
    if (audience != null
        && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
      throw InvalidTokenException.invalid("wrong audience");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw InvalidTokenException.invalid("token has no expiry (exp)");
    }
    if (checkExpiry && now.isAfter(exp.toInstant().plus(skew))) {
      throw InvalidTokenException.invalid("token expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      throw InvalidTokenException.invalid("token not yet valid");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isEmpty()) {
      throw InvalidTokenException.invalid("token has no subject (sub)");
    }
    return new Identity(
        subject, roles(claims.getClaim(rolesClaim)), claims.toJSONObject(), exp.toInstant());
  }

  /** A list of role names, or one string of names separated by spaces (as {@code scope} is). */
  private static Set<String> roles(Object claim) {
    Set<String> roles = new LinkedHashSet<>();
    if (claim instanceof Collection<?> c) {
      c.stream().filter(v -> v instanceof String).forEach(v -> roles.add((String) v));
    } else if (claim instanceof String s) {
      for (String r : s.trim().split("\\s+")) {
        if (!r.isEmpty()) {
          roles.add(r);
        }
      }
    }
    return roles;
  }
}
