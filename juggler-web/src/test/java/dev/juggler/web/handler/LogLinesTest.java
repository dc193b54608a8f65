package dev.juggler.web.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.Nack;
import dev.juggler.protocol.message.RawJson;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LogLinesTest {
  private static final UUID CONN = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final UUID MSG = UUID.fromString("00000000-0000-0000-0000-000000000002");
  private final Call call =
      new Call(MSG, "test.echo", Duration.ofSeconds(2), new RawJson("\"secret\""));

  @Test
  void aRequestLineNamesConnectionTypeUuidAndUriButNotThePayload() {
    String line = LogLines.describe(CONN, call, 42, false);
    assertEquals(
        "conn=00000000-0000-0000-0000-000000000001 <- CALL uuid=00000000-0000-0000-0000-000000000002"
            + " uri=test.echo timeout=2000 42us",
        line);
    assertFalse(line.contains("secret"));
  }

  @Test
  void payloadsOnlyWhenAskedFor() {
    assertTrue(LogLines.describe(CONN, call, 1, true).endsWith(" args=\"secret\""));
    Evnt evnt = new Evnt(MSG, MSG, "chat.1", "chat.*", new RawJson("{\"pin\":1234}"));
    assertFalse(LogLines.describe(CONN, evnt, 1, false).contains("1234"));
    assertTrue(LogLines.describe(CONN, evnt, 1, true).contains("args={\"pin\":1234}"));
  }

  @Test
  void aNackLineSaysWhatItAnswersAndWhy() {
    Nack nack = Nack.of(call, 404, "no callee serves test.echo");
    String line = LogLines.describe(CONN, nack, 7, false);
    assertTrue(line.contains(" -> NACK "), line);
    assertTrue(line.contains(" for=CALL " + MSG + " code=404 message=no callee serves test.echo"));
  }
}
