package dev.juggler.web.security.internal;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public keys that tokens are verified with: PEM ({@code PUBLIC KEY} or {@code
 * CERTIFICATE} blocks, RSA or EC) or a JWK set (or a single JWK), given as text or at a location (a
 * file path, or a {@code file:}, {@code http:} or {@code https:} URL). Private parts, if any, are
 * dropped.
 */
public final class KeyLoader {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final int TIMEOUT_MILLIS = 10_000;

  private KeyLoader() {}

  /**
   * The keys in {@code text}.
   *
   * @throws IllegalArgumentException when it is neither PEM nor a JWK set, or holds no public key
   */
  public static JWKSet parse(String text) {
    String t = text.trim();
    JWKSet set;
    if (t.startsWith("{")) {
      try {
        set = t.contains("\"keys\"") ? JWKSet.parse(t) : new JWKSet(JWK.parse(t));
      } catch (ParseException e) {
        throw new IllegalArgumentException("not a valid JWK set: " + e.getMessage(), e);
      }
    } else if (t.contains("-----BEGIN")) {
      set = new JWKSet(pem(t));
    } else {
      throw new IllegalArgumentException(
          "neither PEM (-----BEGIN PUBLIC KEY-----) nor a JWK set ({\"keys\":[...]})");
    }
    set = set.toPublicJWKSet();
    if (set.getKeys().isEmpty()) {
      throw new IllegalArgumentException("no public key in it");
    }
    return set;
  }

  /**
   * Reads {@code location} and parses it.
   *
   * @throws IllegalArgumentException when it cannot be read or parsed
   */
  public static JWKSet load(String location) {
    return parse(read(location));
  }

  /** Whether {@code text} is a JWK set or a JWK (JSON) rather than PEM. */
  public static boolean isJwk(String text) {
    return text.trim().startsWith("{");
  }

  /**
   * The text at {@code location}.
   *
   * @throws IllegalArgumentException when it cannot be read
   */
  public static String read(String location) {
    String text;
    try {
      if (location.matches("(?i)(https?|file):.*")) {
        URLConnection c = URI.create(location).toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MILLIS);
        c.setReadTimeout(TIMEOUT_MILLIS);
        try (InputStream in = c.getInputStream()) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else {
        text = Files.readString(Path.of(location), StandardCharsets.UTF_8);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read " + location + ": " + e, e);
    }
    return text;
  }

  private static List<JWK> pem(String text) {
    List<JWK> keys = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2).replace("\\n", "").trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a PEM " + type + " block is not valid base64", e);
      }
      PublicKey key =
          switch (type) {
            case "PUBLIC KEY" -> publicKey(der);
            case "CERTIFICATE" -> certificateKey(der);
            default ->
                throw new IllegalArgumentException(
                    "PEM " + type + " is not supported: give a PUBLIC KEY or a CERTIFICATE");
          };
      keys.add(jwk(key));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          "no complete PEM block (-----BEGIN ...----- ... -----END)");
    }
    return keys;
  }

  private static PublicKey publicKey(byte[] der) {
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new IllegalArgumentException("the PEM PUBLIC KEY is neither an RSA nor an EC key");
  }

  private static PublicKey certificateKey(byte[] der) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der))
          .getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the PEM CERTIFICATE cannot be read: " + e, e);
    }
  }

  private static JWK jwk(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (curve == null) {
        throw new IllegalArgumentException("the EC key's curve is not supported");
      }
      return new ECKey.Builder(curve, ec).build();
    }
    throw new IllegalArgumentException(key.getAlgorithm() + " keys are not supported");
  }
}
