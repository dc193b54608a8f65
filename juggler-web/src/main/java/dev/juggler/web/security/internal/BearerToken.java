package dev.juggler.web.security.internal;

import java.util.List;
import java.util.Locale;

/**
 * Finds the bearer token of a handshake: the {@code Authorization: Bearer <token>} header, or the
 * {@code access_token} query parameter (browsers cannot set headers on a WebSocket). An {@code
 * Authorization} header of another scheme is not a bearer token and is ignored.
 */
public final class BearerToken {
  /** The query parameter of RFC 6750 section 2.3. */
  public static final String PARAMETER = "access_token";

  private BearerToken() {}

  /**
   * The token, or {@code null} when the handshake has none.
   *
   * @param authorization the values of the {@code Authorization} headers (may be null)
   * @param parameter the values of the {@code access_token} parameter (may be null)
   * @throws InvalidTokenException when there is more than one token, or an empty one
   */
  public static String find(List<String> authorization, List<String> parameter)
      throws InvalidTokenException {
    String header = null;
    if (authorization != null) {
      for (String value : authorization) {
        String v = value == null ? "" : value.trim();
        if (v.length() >= 6 && v.substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer")) {
          if (v.length() > 6 && v.charAt(6) != ' ') {
            continue; // another scheme that starts with the same letters
          }
          if (header != null) {
            throw several();
          }
          header = v.substring(6).trim();
        }
      }
    }
    String param = null;
    if (parameter != null && !parameter.isEmpty()) {
      if (parameter.size() > 1) {
        throw several();
      }
      param = parameter.get(0) == null ? "" : parameter.get(0).trim();
    }
    if (header != null && param != null) {
      throw several();
    }
    String token = header != null ? header : param;
    if (token != null && token.isEmpty()) {
      throw InvalidTokenException.invalid("empty token");
    }
    return token;
  }

  private static InvalidTokenException several() {
    return new InvalidTokenException(
        "invalid_request",
        "more than one token (give one Authorization: Bearer header or one access_token)");
  }
}
