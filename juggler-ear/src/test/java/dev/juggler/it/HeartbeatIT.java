package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.MetaCalls;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Callee heartbeats seen from a server with the URI allow-list and no callees of its own, all on a
 * private Redis: URIs come with the callee processes that serve them, go at once when one stops
 * cleanly (while another still serves a shared URI), and go with their time-to-live when one is
 * killed.
 */
class HeartbeatIT {
  private static final int CALL = 1;

  /** The cleanly stopped callee's: its time-to-live (15 s) is far above how fast it must go. */
  private static final Duration SLOW_BEAT = Duration.ofSeconds(5);

  /** The killed callee's: time-to-live 3 s. */
  private static final Duration FAST_BEAT = Duration.ofSeconds(1);

  private static final Duration FAST_TTL = FAST_BEAT.multipliedBy(3);

  @Test
  void urisComeWithTheirCalleesAndGoWhenOneStopsOrDies() throws Exception {
    try (TestRedis redis = TestRedis.launch();
        JugglerProcess server =
            JugglerProcess.server(
                "heartbeat-server",
                "JUGGLER_REDIS_URL",
                redis.uri().toString(),
                "JUGGLER_CALLEE_ENABLED",
                "false",
                "JUGGLER_SERVER_URI_ALLOW_LIST",
                "true")) {
      String url = redis.uri().toString();
      server.awaitStarted().awaitLine("Juggler server ready at /ws", JugglerProcess.START_WAIT);
      assertTrue(server.output().contains("juggler.server.uri-allow-list=true"));
      try (WsClient c = WsClient.connectTo(server.endpoint())) {
        assertEquals(List.of(), MetaCalls.liveUris(c), "no callee yet");
        assertUnserved(c, "test.echo");

        try (JugglerProcess stopped =
                JugglerProcess.callees(
                    "heartbeat-stopped",
                    "JUGGLER_REDIS_URL",
                    url,
                    "JUGGLER_CALLEE_URIS",
                    "test.echo,test.reverse",
                    "JUGGLER_CALLEE_WORKERS",
                    "2",
                    "JUGGLER_CALLEE_HEARTBEAT_INTERVAL",
                    Long.toString(SLOW_BEAT.toMillis()));
            JugglerProcess killed =
                JugglerProcess.callees(
                    "heartbeat-killed",
                    "JUGGLER_REDIS_URL",
                    url,
                    "JUGGLER_CALLEE_URIS",
                    "test.reverse,test.delay",
                    "JUGGLER_CALLEE_WORKERS",
                    "2",
                    "JUGGLER_CALLEE_HEARTBEAT_INTERVAL",
                    Long.toString(FAST_BEAT.toMillis()))) {
          stopped.awaitStarted().awaitLine("heartbeat every 5000 ms", JugglerProcess.START_WAIT);
          killed.awaitStarted().awaitLine("heartbeat every 1000 ms", JugglerProcess.START_WAIT);
          List<String> all = List.of("test.delay", "test.echo", "test.reverse");
          MetaCalls.awaitLiveUris(c, "both callees'", all::equals, Waits.SOON);
          assertServed(c, "test.echo");

          // A clean stop leaves at once: gone long before its 15 s time-to-live could pass, while
          // the other callee still serves test.reverse.
          long stopping = System.nanoTime();
          CompletableFuture<Void> stop = CompletableFuture.runAsync(stopped::close);
          MetaCalls.awaitLiveUris(
              c,
              "without the stopped callee's test.echo",
              List.of("test.delay", "test.reverse")::equals,
              Duration.ofSeconds(8));
          // Its last heartbeat left at least 10 s of its time-to-live: only leaving is this fast.
          long goneMs = (System.nanoTime() - stopping) / 1_000_000;
          assertTrue(goneMs < SLOW_BEAT.toMillis() * 2, "gone " + goneMs + " ms after SIGTERM");
          assertUnserved(c, "test.echo");
          assertServed(c, "test.reverse");
          stop.get(JugglerProcess.STOP_WAIT.toSeconds() * 2, TimeUnit.SECONDS);

          // A killed callee cannot leave: its URIs go once their time-to-live has passed.
          killed.kill();
          long dead = System.nanoTime();
          MetaCalls.awaitLiveUris(
              c, "empty", List::isEmpty, FAST_TTL.plus(Duration.ofMillis(1500)));
          long expiredMs = (System.nanoTime() - dead) / 1_000_000;
          // Its last heartbeat was at most an interval before the kill: at least 2 s were left.
          assertTrue(expiredMs > 1_000, "gone after " + expiredMs + " ms: faster than its TTL");
          assertUnserved(c, "test.reverse");
        }
      }
    }
  }

  private static void assertServed(WsClient c, String uri) {
    String id = c.call(uri, "\"beat\"", Waits.SOON);
    ack(c.next(), id, CALL);
    String expected = uri.equals("test.reverse") ? "taeb" : "beat";
    assertEquals(expected, Frames.res(c.next(), id, uri).getString("args"));
  }

  private static void assertUnserved(WsClient c, String uri) {
    long sent = System.nanoTime();
    String id = c.call(uri, "\"beat\"", Duration.ofSeconds(30));
    assertEquals("no callee serves " + uri, nack(c.next(), id, CALL, 404).getString("message"));
    long tookMs = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(tookMs < 2_000, uri + ": NACK 404 after " + tookMs + " ms, for a call of 30 s");
  }
}
