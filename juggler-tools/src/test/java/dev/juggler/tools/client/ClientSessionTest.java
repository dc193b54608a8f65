package dev.juggler.tools.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.client.NackException;
import dev.juggler.protocol.message.MsgType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ClientSessionTest {

  private static final Duration D = Duration.ofSeconds(10);

  @Test
  void callArgsAndTimeout() {
    assertEquals(
        new CallLine("\"150\"", Duration.ofMillis(2000)), CallLine.parse("\"150\" 2000", D));
    assertEquals(new CallLine("5", D), CallLine.parse("5", D));
    assertEquals(new CallLine("{\"a\": [1, 2]}", D), CallLine.parse("{\"a\": [1, 2]}", D));
  }

  @Test
  void allowedTypes() {
    assertEquals(EnumSet.of(MsgType.CALL, MsgType.PUB), ClientSession.allowed("call, PUB"));
    assertThrows(IllegalArgumentException.class, () -> ClientSession.allowed("res"));
  }

  @Test
  void failuresAreOneWord() {
    assertEquals(
        " NACK 404 unknown",
        ClientSession.failure(new CompletionException(new NackException(404, "unknown"))));
  }

  @Test
  void commandsWithoutAServer() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ClientSession s =
        new ClientSession(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
      assertTrue(s.execute("help"));
      assertTrue(s.execute("call 1 test.echo \"x\""));
      assertTrue(s.execute("frobnicate"));
      assertFalse(s.execute("exit"));
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("connect <url> [allowed]"), out);
    assertTrue(out.contains("error: no connection 1"), out);
    assertTrue(out.contains("unknown command 'frobnicate'"), out);
  }
}
