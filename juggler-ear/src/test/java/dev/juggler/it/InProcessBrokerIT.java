package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.MetaCalls;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar with no Redis configured at all, as the README's run command starts it: the
 * in-process broker serves calls (through the EAR's own callees) and pub-sub, and the log says
 * plainly that this is a single node.
 */
class InProcessBrokerIT {

  @Test
  void serverWithoutRedisServesCallsAndEventsOnItsOwn() throws Exception {
    try (JugglerProcess node = JugglerProcess.server("in-process", "JUGGLER_CALLEE_WORKERS", "2")) {
      node.awaitStarted();
      node.awaitLine("SINGLE NODE", JugglerProcess.START_WAIT);
      node.awaitLine("Juggler server ready at /ws", JugglerProcess.START_WAIT);
      assertTrue(node.output().contains("Juggler callees serving"), "callees started");
      // A start with the shipped settings writes no FFDC report (Liberty says FFDC1015I for each).
      assertFalse(node.output().contains("FFDC1015I"), "an FFDC report at start");
      assertFalse(node.output().contains("JUGGLER_HTTPS_PORT is"), "a warning about HTTPS");

      try (WsClient c = WsClient.connectTo(node.endpoint());
          WsClient other = WsClient.connectTo(node.endpoint())) {
        for (String[] call :
            new String[][] {
              {"test.echo", "\"hi\"", "\"hi\""}, {"test.reverse", "\"abc\"", "\"cba\""}
            }) {
          String id = c.call(call[0], call[1], Waits.SOON);
          ack(c.next(), id, 1);
          JsonObject res = Frames.res(c.next(), id, call[0]);
          assertEquals(call[2], res.get("args").toString());
        }

        // The EAR's callees heartbeat into the in-process store that the web module reads.
        MetaCalls.awaitLiveUris(
            c,
            "listing the callees",
            l -> l.containsAll(List.of("test.delay", "test.echo", "test.reverse")),
            Waits.SOON);

        Frames.subscribed(other, "local.*", true);
        Frames.published(c, "local.news", "{\"n\":1}");
        JsonObject evnt = Frames.expect(other.next(), Frames.EVNT);
        assertEquals("local.news", evnt.getString("channel"));
        assertEquals("local.*", evnt.getString("pattern"));

        // An expired call is never answered, as on Redis.
        String late = c.call("test.delay", "\"500\"", Duration.ofMillis(100));
        ack(c.next(), late, 1);
        assertEquals(null, c.next(Duration.ofMillis(900)), "no RES after the timeout");
      }
    }
  }
}
