package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scripted session moves the server, broker and callee metrics by exactly what it did: calls
 * answered, a call that expires, events, a refused request. Only deltas are compared, since other
 * tests share the server.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class MetricsIT {
  private static final int CALLS = 5;
  private static final int PUBS = 3;

  private static final List<String> WATCHED =
      List.of(
          "TotalConns",
          "MsgsCALL",
          "MsgsSUB",
          "MsgsPUB",
          "MsgsACK",
          "MsgsNACK",
          "MsgsRES",
          "MsgsEVNT",
          "Calls",
          "Results",
          "ExpiredResults",
          "ExpiredCalls",
          "Events",
          "PayloadDecodeFailures",
          "BrokerErrors",
          "CallLatency_seconds_count",
          "CalleeCalls",
          "CalleeFailures",
          "CalleeExpiredCalls",
          "CalleeResultsDropped",
          "CalleeBrokerErrors");

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  @Test
  void aScriptedSessionMovesEachCounterByWhatItDid() throws Exception {
    Map<String, Double> before = read();
    try (WsClient c = WsClient.connect()) {
      for (int i = 0; i < CALLS; i++) {
        String id = c.call("test.echo", "\"m" + i + "\"", Waits.SOON);
        Frames.ack(c.next(), id, 1);
        Frames.res(c.next(), id, "test.echo");
      }
      // Nobody serves this URI: ACKed, then expired without a RES.
      String lost = c.call("metrics.nobody", "null", Duration.ofMillis(300));
      Frames.ack(c.next(), lost, 1);

      Frames.subscribed(c, "metrics.news", false);
      int acks = 0;
      int events = 0;
      for (int i = 0; i < PUBS; i++) {
        c.pub("metrics.news", Integer.toString(i));
      }
      for (JsonObject frame : c.next(2 * PUBS)) {
        acks += Frames.type(frame) == Frames.ACK ? 1 : 0;
        events += Frames.type(frame) == Frames.EVNT ? 1 : 0;
      }
      assertEquals(PUBS, acks);
      assertEquals(PUBS, events);

      String bad = c.sub("", false);
      Frames.nack(c.next(), bad, 3, 400);

      // the expiry is noticed by a sweep about once a second
      long end = Waits.deadline();
      while (Server.metric("ExpiredCalls") - before.get("ExpiredCalls") < 1
          && System.nanoTime() < end) {
        Thread.sleep(100);
      }
      Map<String, Double> expected = new LinkedHashMap<>();
      expected.put("TotalConns", 1.0);
      expected.put("MsgsCALL", CALLS + 1.0);
      expected.put("MsgsSUB", 2.0);
      expected.put("MsgsPUB", (double) PUBS);
      expected.put("MsgsACK", CALLS + 1.0 + 1 + PUBS);
      expected.put("MsgsNACK", 1.0);
      expected.put("MsgsRES", (double) CALLS);
      expected.put("MsgsEVNT", (double) PUBS);
      expected.put("Calls", CALLS + 1.0);
      expected.put("Results", (double) CALLS);
      expected.put("ExpiredResults", 0.0);
      expected.put("ExpiredCalls", 1.0);
      expected.put("Events", (double) PUBS);
      expected.put("PayloadDecodeFailures", 0.0);
      expected.put("BrokerErrors", 0.0);
      expected.put("CallLatency_seconds_count", (double) CALLS);
      expected.put("CalleeCalls", (double) CALLS);
      expected.put("CalleeFailures", 0.0);
      expected.put("CalleeExpiredCalls", 0.0);
      expected.put("CalleeResultsDropped", 0.0);
      expected.put("CalleeBrokerErrors", 0.0);
      assertEquals(expected, deltas(before, read()));
    }
  }

  @Test
  void callLatencyHasQuantilesAndBucketsFromOneMillisecondToTenSeconds() throws Exception {
    try (WsClient c = WsClient.connect()) {
      String id = c.call("test.echo", "\"q\"", Waits.SOON);
      Frames.ack(c.next(), id, 1);
      Frames.res(c.next(), id, "test.echo");
    }
    // The timer moves before the RES is queued for the client, and whatever the client does next.
    String body = Server.get("/metrics?scope=application").body();
    assertTrue(Server.metric(body, "CallLatency_seconds_count") >= 1, body);
    for (String line :
        List.of(
            "# HELP CallLatency_seconds time from a CALL's ACK to its RES, as seen by the server",
            "CallLatency_seconds{mp_scope=\"application\",quantile=\"0.99\",}",
            "CallLatency_seconds_bucket{mp_scope=\"application\",le=\"0.001\",}",
            "CallLatency_seconds_bucket{mp_scope=\"application\",le=\"10.0\",}")) {
      assertTrue(body.contains(line), () -> "no " + line + " in:\n" + body);
    }
  }

  private static Map<String, Double> read() throws Exception {
    String body = Server.get("/metrics?scope=application").body();
    Map<String, Double> values = new LinkedHashMap<>();
    for (String name : WATCHED) {
      values.put(name, Server.metric(body, name));
    }
    return values;
  }

  private static Map<String, Double> deltas(Map<String, Double> from, Map<String, Double> to) {
    Map<String, Double> d = new LinkedHashMap<>();
    from.forEach((name, v) -> d.put(name, to.get(name) - v));
    return d;
  }
}
