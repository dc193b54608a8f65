package dev.juggler.tools.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterScrapeTest {

  @Test
  void metricsAddressFromTheWebSocketUrl() {
    assertEquals(
        URI.create("http://h:9188/metrics?scope=application"),
        CounterScrape.metricsUri(URI.create("ws://h:9188/ws")));
    assertEquals(
        URI.create("https://h/metrics?scope=application"),
        CounterScrape.metricsUri(URI.create("wss://h/ws")));
  }

  @Test
  void countersAndDeltas() {
    String body =
        "# TYPE TotalMsgs_total counter\n"
            + "TotalMsgs_total{mp_scope=\"application\",} 311604.0\n"
            + "ActiveConns{mp_scope=\"application\",} 3.0\n"
            + "MsgsCALL_total{mp_scope=\"application\",} 10.0\n";
    Map<String, Double> after = CounterScrape.counters(body);
    assertEquals(Map.of("TotalMsgs", 311604.0, "MsgsCALL", 10.0), after);
    assertEquals(
        "server counters (delta): TotalMsgs +4",
        CounterScrape.deltas(Map.of("TotalMsgs", 311600.0, "MsgsCALL", 10.0), after));
    assertEquals("server counters (delta): none moved", CounterScrape.deltas(after, after));
  }
}
