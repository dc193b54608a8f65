package dev.juggler.web.security;

import dev.juggler.web.conn.Conn;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who a connection's verified token says the client is. Set once, when the connection opens (just
 * after {@code ConnEvent.Connected} is fired), and kept with it: {@link #of(Conn)} gives it to
 * handlers. The token's signature, issuer and audience were checked at the handshake; its expiry is
 * checked again by each protected request.
 *
 * @param subject the token's {@code sub}
 * @param roles the roles the token grants (its roles claim, {@code groups} by default)
 * @param claims every claim of the token, as JSON values ({@code exp} in seconds, arrays as lists)
 * @param expiresAt the token's {@code exp}
 */
public record Identity(
    String subject, Set<String> roles, Map<String, Object> claims, Instant expiresAt) {

  public Identity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(expiresAt, "expiresAt");
    roles = Set.copyOf(roles);
    claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
  }

  /** The identity of a connection opened with a valid token; {@code null} for an anonymous one. */
  public static Identity of(Conn conn) {
    return conn.state(Identity.class, () -> null);
  }

  /** Whether the token has expired at {@code now}, allowing {@code skew} for clock differences. */
  public boolean expired(Instant now, Duration skew) {
    return now.isAfter(expiresAt.plus(skew));
  }

  @Override
  public String toString() {
    return "Identity[" + subject + ", roles " + roles + "]"; // claims may be sensitive
  }
}
