package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import org.junit.jupiter.api.Test;

/** The container's close reasons, which name its classes and ours, are replaced by plain ones. */
class ContainerErrorsTest {

  private static String plain(CloseCodes code, String phrase) {
    CloseReason r = new CloseReason(code, phrase);
    ContainerErrors.plainReason(r);
    return r.getReasonPhrase();
  }

  @Test
  void containerReasonsBecomePlain() {
    assertEquals(
        "protocol error: invalid frame",
        plain(
            CloseCodes.PROTOCOL_ERROR,
            "CWWKH0030E: Exception occurred while reading an incoming WebSocket message in"
                + " ServerEndpoint class com.ibm.ws.wsoc.Annot"));
    assertEquals(
        "read limit exceeded",
        plain(
            CloseCodes.TOO_BIG,
            "CWWKH0037E: Invalid incoming WebSocket message in ServerEndpoint class"
                + " dev.juggler.web.JugglerEndpoint."));
    assertEquals(
        "connection closed", plain(CloseCodes.UNEXPECTED_CONDITION, "java.io.IOException"));
  }

  @Test
  void plainReasonsStay() {
    assertEquals(
        "Reserved frame must be 0.", plain(CloseCodes.PROTOCOL_ERROR, "Reserved frame must be 0."));
    assertEquals("read timeout", plain(CloseCodes.VIOLATED_POLICY, "read timeout"));
    assertEquals("", plain(CloseCodes.NORMAL_CLOSURE, ""));
  }
}
