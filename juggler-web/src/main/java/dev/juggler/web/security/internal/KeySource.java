package dev.juggler.web.security.internal;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

/**
 * Where tokens' keys are looked up: the keys read at startup, or, for a JWK set published at an
 * {@code http(s)} URL (as identity providers publish theirs), that URL again, so that the issuer
 * can rotate its keys without a restart. The remote set is cached for the refresh time, fetched
 * again at once when a token names a key ({@code kid}) it lacks (at most twice in {@link
 * #MIN_REFETCH}, so that forged {@code kid}s cannot flood the issuer), and its last good copy kept
 * while the URL does not answer. Built on nimbus-jose-jwt's {@link JWKSourceBuilder}.
 */
public final class KeySource {
  /** The least time between fetches that tokens with unknown keys may cause. */
  public static final Duration MIN_REFETCH = Duration.ofSeconds(30);

  private static final int HTTP_TIMEOUT_MILLIS = 10_000;
  private static final int SIZE_LIMIT_BYTES = 512 * 1024;

  private KeySource() {}

  /** The keys read at startup, never read again. */
  public static JWKSource<SecurityContext> fixed(JWKSet keys) {
    return new ImmutableJWKSet<>(keys);
  }

  /**
   * The JWK set at {@code url}, cached for {@code refresh}.
   *
   * @throws IllegalArgumentException when {@code url} is not a URL
   */
  public static JWKSource<SecurityContext> remote(String url, Duration refresh) {
    URL location;
    try {
      location = URI.create(url).toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url, e);
    }
    long ttl = refresh.toMillis();
    // No refresh ahead: it would fetch on threads of nimbus's own, outside the container.
    return JWKSourceBuilder.<SecurityContext>create(
            location,
            new DefaultResourceRetriever(
                HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, SIZE_LIMIT_BYTES))
        .cache(ttl, Math.min(HTTP_TIMEOUT_MILLIS, ttl / 2))
        .refreshAheadCache(false)
        .rateLimited(Math.min(MIN_REFETCH.toMillis(), ttl / 2))
        .outageTolerantForever()
        .build();
  }
}
