package dev.juggler.tools.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyReportTest {

  @Test
  void formatsPercentilesInMilliseconds() {
    Histogram h = LatencyReport.histogram(1_000_000);
    for (long us = 1; us <= 100; us++) {
      h.recordValue(us * 1000);
    }
    assertEquals(
        "latency (RES): n=100 min 1.000ms p50 50.015ms p75 75.007ms p90 90.047ms p99 99.007ms"
            + " max 100.031ms",
        LatencyReport.format("RES", h));
  }

  @Test
  void emptyHistogram() {
    assertEquals("latency (x): n=0", LatencyReport.format("x", LatencyReport.histogram(1000)));
  }

  @Test
  void clampsToTheTrackableRange() {
    assertEquals(1000, LatencyReport.clamp(5000, 1000));
    assertEquals(0, LatencyReport.clamp(-3, 1000));
  }

  @Test
  void rate() {
    assertEquals("2500.0/s", LatencyReport.rate(5000, 2_000_000_000L));
    assertEquals("0.0/s", LatencyReport.rate(5, 0));
  }

  @Test
  void callReport() {
    CallStats stats = new CallStats(LoadCommand.highestMicros(java.time.Duration.ofSeconds(1)));
    stats.sent.add(3);
    stats.record(System.nanoTime(), new dev.juggler.protocol.message.RawJson("\"a\""), null);
    stats.record(
        System.nanoTime(),
        new dev.juggler.protocol.message.RawJson("{\"error\":{\"message\":\"no\"}}"),
        null);
    stats.record(System.nanoTime(), null, new dev.juggler.client.NackException(429, "full"));
    String report = LoadCommand.report(stats, 1_000_000_000L);
    assertEquals(
        "calls sent 3, RES 2 (error results 1), NACK 1, expired 0, failed 0",
        report.lines().findFirst().orElseThrow());
    assertEquals(
        "elapsed 1.000s, throughput 2.0/s results",
        report.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void pubSubReportSaysWhySubscribersWereDisconnected() {
    PubSubCommand.Subscriber kept = new PubSubCommand.Subscriber();
    kept.sequences.record(0, 0);
    kept.sequences.record(0, 1);
    PubSubCommand.Subscriber dropped = new PubSubCommand.Subscriber();
    dropped.sequences.record(0, 0);
    dropped.onState(
        dev.juggler.client.ConnectionState.DISCONNECTED,
        new IllegalStateException("closed by the server: 1008 client too slow"));
    // a later state change does not replace the first cause
    dropped.onState(dev.juggler.client.ConnectionState.DISCONNECTED, new IllegalStateException());
    String report =
        PubSubCommand.report(
            java.util.List.of(kept, dropped), java.util.Map.of(0, 2L), 2, 0, 1_000_000_000L);
    assertEquals(
        "published 2 (failed 0) in 1.000s, delivered 3 events (3.0/s), lost 1, reordered 0,"
            + " duplicated 0, subscribers disconnected 1",
        report.lines().findFirst().orElseThrow());
    assertEquals(
        "disconnected 1: java.lang.IllegalStateException: closed by the server: 1008 client too"
            + " slow",
        report.lines().reduce((a, b) -> b).orElseThrow());
  }
}
