package dev.juggler.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.juggler.protocol.message.RawJson;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallResultsTest {

  @Test
  void recognizesErrorResults() {
    assertEquals(
        Optional.of("boom"),
        CallResults.errorMessage(new RawJson("{\"error\":{\"message\":\"boom\"}}")));
    assertEquals(Optional.of(""), CallResults.errorMessage(new RawJson(" {\"error\":{}}")));
  }

  @Test
  void otherResultsAreNotErrors() {
    for (String json : new String[] {"\"error\"", "42", "null", "[]", "{\"error\":\"x\"}", "{}"}) {
      assertEquals(Optional.empty(), CallResults.errorMessage(new RawJson(json)), json);
    }
  }
}
