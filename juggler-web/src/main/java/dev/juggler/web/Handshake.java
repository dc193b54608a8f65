package dev.juggler.web;

import dev.juggler.web.conn.AllowedMessages;
import dev.juggler.web.security.HandshakeIdentity;
import dev.juggler.web.security.SecurityConfig;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the handshake: the headers (for handlers such as authentication), the allowed message types
 * and the verified identity.
 *
 * <p>{@link HandshakeFilter} refuses bad handshakes with an HTTP status before they get here. As a
 * second line should one get past it, this configurator checks the same again without ever
 * throwing: a disallowed origin gets HTTP 403 from {@link #checkOrigin}; a handshake without the
 * juggler.0 subprotocol, with an invalid {@code Juggler-Allowed-Messages} header or with an invalid
 * token is marked {@link #REFUSED}, and {@link JugglerEndpoint} closes it with 1008 as it opens,
 * before it reads a message.
 */
public class Handshake extends ServerEndpointConfig.Configurator {
  /** The only subprotocol served. */
  public static final String SUBPROTOCOL = "juggler.0";

  // The user properties that carry a handshake's outcome to the endpoint's open: every name starts
  // with "juggler." (as HandshakeIdentity's does), which is how JugglerEndpoint drops them once the
  // connection holds its own copies.
  static final String ALLOWED = "juggler.allowed";
  static final String HEADERS = "juggler.headers";

  /** The user property that holds why a handshake must not be served, if it must not. */
  static final String REFUSED = "juggler.refused";

  @Override
  public boolean checkOrigin(String originHeaderValue) {
    if (originHeaderValue == null) {
      return true; // as HandshakeGuard: non-browser clients may send none
    }
    try {
      var origins = CDI.current().select(SecurityConfig.class).get().origins();
      return origins.allowsAny() || origins.allows(originHeaderValue);
    } catch (RuntimeException e) {
      return false; // no configuration to check against: refuse rather than serve unchecked
    }
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    // getUserProperties() is a copy per connection here (Jakarta WebSocket 2.1), read back from the
    // Session in JugglerEndpoint.open.
    Map<String, Object> props = sec.getUserProperties();
    Map<String, List<String>> headers = request.getHeaders();
    props.put(HEADERS, headers);
    String allowed = header(headers);
    String problem =
        HandshakeFilter.problem(
            offersSubprotocol(header(headers, "Sec-WebSocket-Protocol")), allowed);
    if (problem == null) {
      props.put(ALLOWED, AllowedMessages.parse(allowed));
      problem =
          HandshakeIdentity.put(
              header(request.getHeaders(), "Authorization"), request.getParameterMap(), props);
    }
    if (problem != null) {
      props.put(REFUSED, problem);
    }
  }

  /** Whether the {@code Sec-WebSocket-Protocol} header values offer {@link #SUBPROTOCOL}. */
  static boolean offersSubprotocol(List<String> values) {
    return values.stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .anyMatch(p -> p.trim().equals(SUBPROTOCOL));
  }

  private static String header(Map<String, List<String>> headers) {
    List<String> values = header(headers, AllowedMessages.HEADER);
    return values.isEmpty() ? null : String.join(",", values);
  }

  /**
   * The values of the handshake header {@code name}, looked up case-insensitively as HTTP header
   * names are; empty when it is absent.
   */
  public static List<String> header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (name.equalsIgnoreCase(e.getKey())) {
        return e.getValue() == null ? List.of() : e.getValue();
      }
    }
    return List.of();
  }
}
