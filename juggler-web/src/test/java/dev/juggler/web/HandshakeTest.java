package dev.juggler.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configurator's second line: what the handshake filter refuses is marked refused here too, and
 * nothing throws (a throw is an HTTP 500 with a stack trace in the log).
 */
class HandshakeTest {

  private static Map<String, Object> handshake(Map<String, List<String>> headers) {
    Map<String, Object> props = new HashMap<>();
    ServerEndpointConfig sec =
        (ServerEndpointConfig)
            Proxy.newProxyInstance(
                HandshakeTest.class.getClassLoader(),
                new Class<?>[] {ServerEndpointConfig.class},
                (p, m, args) -> {
                  if (m.getName().equals("getUserProperties")) {
                    return props;
                  }
                  throw new UnsupportedOperationException(m.getName());
                });
    HandshakeRequest request =
        (HandshakeRequest)
            Proxy.newProxyInstance(
                HandshakeTest.class.getClassLoader(),
                new Class<?>[] {HandshakeRequest.class},
                (p, m, args) -> {
                  if (m.getName().equals("getHeaders")) {
                    return headers;
                  }
                  throw new UnsupportedOperationException(m.getName());
                });
    HandshakeResponse response = Map::of;
    new Handshake().modifyHandshake(sec, request, response);
    return props;
  }

  @Test
  void aBadAllowedMessagesHeaderIsRefusedNotThrown() {
    Map<String, Object> props =
        handshake(
            Map.of(
                "Sec-WebSocket-Protocol", List.of("juggler.0"),
                "juggler-allowed-messages", List.of("call,res")));
    assertTrue(String.valueOf(props.get(Handshake.REFUSED)).contains("res"));
    assertNull(props.get(Handshake.ALLOWED));
  }

  @Test
  void aHandshakeWithoutTheSubprotocolIsRefused() {
    Map<String, Object> props =
        handshake(Map.of("Sec-WebSocket-Protocol", List.of("juggler.1, chat")));
    assertEquals(
        "the juggler.0 subprotocol is required (Sec-WebSocket-Protocol: juggler.0)",
        props.get(Handshake.REFUSED));
  }

  @Test
  void filterAndConfiguratorShareTheirVerdicts() {
    assertNull(HandshakeFilter.problem(true, "call, sub"));
    assertNull(HandshakeFilter.problem(true, null));
    assertTrue(HandshakeFilter.problem(true, "call,nope").contains("nope"));
    assertTrue(HandshakeFilter.problem(false, null).contains("juggler.0"));
  }
}
