package dev.juggler.web.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.juggler.web.security.internal.KeyLoader;
import dev.juggler.web.security.internal.KeySource;
import dev.juggler.web.security.internal.OriginAllowList;
import dev.juggler.web.security.internal.RequestGlobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The security settings: origin allow-list, JWT authentication, authorization rules; each off by
 * default. They are read and parsed once (keys loaded from their location too) by {@link
 * #validate()} at startup, which fails the deployment naming the property at fault.
 */
@ApplicationScoped
public class SecurityConfig {
  private static final Logger LOG = Logger.getLogger(SecurityConfig.class.getName());

  static final String ORIGINS = "juggler.security.allowed-origins";
  static final String KEY = "juggler.security.jwt.public-key";
  static final String KEY_LOCATION = "juggler.security.jwt.public-key-location";
  static final String ISSUER = "juggler.security.jwt.issuer";
  static final String AUDIENCE = "juggler.security.jwt.audience";
  static final String SKEW = "juggler.security.jwt.clock-skew";
  static final String ROLES = "juggler.security.jwt.roles-claim";
  static final String KEYS_REFRESH = "juggler.security.jwt.keys-refresh";
  static final String PROTECTED = "juggler.security.auth.protected";
  static final String RULES = "juggler.security.authz.rules";

  // A JWK set fetched more often than this would only load the issuer.
  static final long MIN_KEYS_REFRESH_MILLIS = 10_000;

  @Inject
  @ConfigProperty(name = ORIGINS)
  Optional<String> allowedOrigins;

  @Inject
  @ConfigProperty(name = KEY)
  Optional<String> publicKey;

  @Inject
  @ConfigProperty(name = KEY_LOCATION)
  Optional<String> publicKeyLocation;

  @Inject
  @ConfigProperty(name = ISSUER)
  Optional<String> issuer;

  @Inject
  @ConfigProperty(name = AUDIENCE)
  Optional<String> audience;

  @Inject
  @ConfigProperty(name = SKEW, defaultValue = "30000")
  long clockSkewMillis;

  @Inject
  @ConfigProperty(name = ROLES, defaultValue = "groups")
  String rolesClaim;

  @Inject
  @ConfigProperty(name = KEYS_REFRESH, defaultValue = "300000")
  long keysRefreshMillis;

  @Inject
  @ConfigProperty(name = PROTECTED, defaultValue = "call:*,sub:*,pub:*")
  String protectedRequests;

  @Inject
  @ConfigProperty(name = RULES)
  Optional<String> rules;

  /** Where the keys come from, for the startup log; set while parsing. */
  private volatile String keysFrom;

  /** The parsed settings; null until the first use. */
  private volatile Parsed parsed;

  private record Parsed(
      OriginAllowList origins,
      TokenVerifier verifier,
      RequestGlobs protectedRequests,
      AuthzRules rules) {}

  /** Checks and parses every value; the message names the property at fault. */
  public void validate() {
    parsed();
  }

  private Parsed parsed() {
    Parsed p = parsed;
    if (p == null) {
      synchronized (this) {
        p = parsed;
        if (p == null) {
          p = parse();
          parsed = p;
        }
      }
    }
    return p;
  }

  private Parsed parse() {
    OriginAllowList origins =
        named(ORIGINS, () -> OriginAllowList.parse(allowedOrigins.orElse("")));
    TokenVerifier verifier = verifier();
    RequestGlobs prot =
        protectedRequests.trim().equals("none")
            ? RequestGlobs.NONE
            : named(PROTECTED, () -> RequestGlobs.parse(protectedRequests));
    AuthzRules authz = rules.map(r -> named(RULES, () -> AuthzRules.parse(r))).orElse(null);
    if (authz != null && verifier == null && authz.needsIdentity()) {
      LOG.warning(
          RULES
              + " has rules for roles, claims or authenticated connections, but JWT authentication"
              + " is off: only its 'any' rules apply");
    }
    return new Parsed(origins, verifier, prot, authz);
  }

  private TokenVerifier verifier() {
    if (clockSkewMillis < 0) {
      throw new IllegalArgumentException(SKEW + " must not be negative, not " + clockSkewMillis);
    }
    if (rolesClaim.isBlank()) {
      throw new IllegalArgumentException(ROLES + " must name a claim");
    }
    if (publicKey.isPresent() && publicKeyLocation.isPresent()) {
      throw new IllegalArgumentException("set " + KEY + " or " + KEY_LOCATION + ", not both");
    }
    if (publicKey.isEmpty() && publicKeyLocation.isEmpty()) {
      String stray = issuer.isPresent() ? ISSUER : audience.isPresent() ? AUDIENCE : null;
      if (stray != null) {
        throw new IllegalArgumentException(
            stray + " is set, but JWT authentication is off: set " + KEY + " or " + KEY_LOCATION);
      }
      return null;
    }
    String iss =
        issuer
            .filter(s -> !s.isBlank())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        ISSUER + " is required when JWT authentication is on"));
    if (keysRefreshMillis != 0 && keysRefreshMillis < MIN_KEYS_REFRESH_MILLIS) {
      throw new IllegalArgumentException(
          KEYS_REFRESH
              + " must be 0 (read the keys once) or at least "
              + MIN_KEYS_REFRESH_MILLIS
              + ", not "
              + keysRefreshMillis);
    }
    String keyProperty = publicKey.isPresent() ? KEY : KEY_LOCATION;
    String text =
        publicKey.isPresent()
            ? publicKey.get()
            : named(KEY_LOCATION, () -> KeyLoader.read(publicKeyLocation.get()));
    JWKSet keys = named(keyProperty, () -> KeyLoader.parse(text));
    JWKSource<SecurityContext> source = KeySource.fixed(keys);
    keysFrom = publicKey.isPresent() ? KEY : publicKeyLocation.get() + ", read once";
    if (publicKeyLocation.filter(l -> l.matches("(?i)https?:.*")).isPresent()
        && KeyLoader.isJwk(text)
        && keysRefreshMillis > 0) {
      source =
          named(
              KEY_LOCATION,
              () ->
                  KeySource.remote(publicKeyLocation.get(), Duration.ofMillis(keysRefreshMillis)));
      keysFrom = publicKeyLocation.get() + ", refreshed every " + keysRefreshMillis + " ms";
    }
    JWKSource<SecurityContext> keySource = source;
    return named(
        keyProperty,
        () ->
            new TokenVerifier(
                keys,
                keySource,
                iss,
                audience.orElse(null),
                Duration.ofMillis(clockSkewMillis),
                rolesClaim));
  }

  private interface Parse<T> {
    T get();
  }

  private static <T> T named(String property, Parse<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
    }
  }

  /** The origins allowed to open WebSockets. */
  public OriginAllowList origins() {
    return parsed().origins();
  }

  /** Whether JWT authentication is on. */
  public boolean jwtEnabled() {
    return parsed().verifier() != null;
  }

  /** The token verifier; {@code null} when JWT authentication is off. */
  public TokenVerifier tokenVerifier() {
    return parsed().verifier();
  }

  /** The requests that need an authenticated connection (used only with JWT on). */
  public RequestGlobs protectedRequests() {
    return parsed().protectedRequests();
  }

  /** The authorization rules; {@code null} when authorization is off. */
  public AuthzRules rules() {
    return parsed().rules();
  }

  /** The allowance for clocks that differ between the token issuer and this node. */
  public Duration clockSkew() {
    return Duration.ofMillis(clockSkewMillis);
  }

  /** The settings in force, for the startup log; no key material. */
  @Override
  public String toString() {
    Parsed p = parsed();
    StringBuilder b = new StringBuilder("origins: ").append(p.origins());
    if (p.verifier() == null) {
      b.append("; JWT authentication off");
    } else {
      b.append("; JWT authentication on: issuer ")
          .append(issuer.orElse(""))
          .append(audience.map(a -> ", audience " + a).orElse(""))
          .append(", keys from ")
          .append(keysFrom)
          .append(", algorithms ")
          .append(p.verifier().algorithms())
          .append(", clock skew ")
          .append(clockSkewMillis)
          .append(" ms, roles claim ")
          .append(rolesClaim)
          .append(", protected ")
          .append(p.protectedRequests().toString().isEmpty() ? "none" : p.protectedRequests());
    }
    b.append(p.rules() == null ? "; authorization off" : "; authorization on: " + p.rules());
    return b.toString();
  }
}
