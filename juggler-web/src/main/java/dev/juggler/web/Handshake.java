package dev.juggler.web;

import dev.juggler.web.conn.AllowedMessages;
import dev.juggler.web.security.HandshakeIdentity;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * Reads the handshake: the headers (for handlers such as authentication) and the allowed message
 * types. Requests without the juggler.0 subprotocol or with an invalid {@code
 * Juggler-Allowed-Messages} header are refused earlier, by {@link HandshakeFilter}.
 */
public class Handshake extends ServerEndpointConfig.Configurator {
  /** The only subprotocol served. */
  public static final String SUBPROTOCOL = "juggler.0";

  static final String ALLOWED = "juggler.allowed";
  static final String HEADERS = "juggler.headers";

  @Override
  public void modifyHandshake(
      ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    // getUserProperties() is a copy per connection here (Jakarta WebSocket 2.1), read back from the
    // Session in JugglerEndpoint.open.
    Map<String, List<String>> headers = request.getHeaders();
    sec.getUserProperties().put(HEADERS, headers);
    sec.getUserProperties().put(ALLOWED, AllowedMessages.parse(header(headers)));
    HandshakeIdentity.put(request, sec.getUserProperties());
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
        return e.getValue();
      }
    }
    return List.of();
  }
}
