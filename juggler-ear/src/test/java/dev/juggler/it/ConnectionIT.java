package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.nack;
import static dev.juggler.it.support.Frames.published;
import static dev.juggler.it.support.Frames.res;
import static dev.juggler.it.support.Frames.subscribed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.JsonObject;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoublePredicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.RedisClient;

/** Handshake, restrictions, protocol violations, handlers and metrics. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class ConnectionIT {
  private static final Duration WAIT = Waits.SOON;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  /** A bystander connection still works: its CALL gets ACK and RES. */
  private static void assertServes(WsClient c) {
    String id = c.call("test.echo", "\"ok\"", Waits.SOON);
    ack(c.next(), id, 1);
    res(c.next(), id, "test.echo");
  }

  @Test
  void handshakeWithoutTheSubprotocolIsRefused() {
    for (List<String> offered : List.of(List.<String>of(), List.of("juggler.1"))) {
      CompletionException e =
          assertThrows(CompletionException.class, () -> WsClient.connect(offered));
      WebSocketHandshakeException refused = (WebSocketHandshakeException) e.getCause();
      assertEquals(400, refused.getResponse().statusCode(), "status for " + offered);
    }
  }

  @Test
  void invalidAllowedMessagesHeaderIsRefused() {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> WsClient.connect("Juggler-Allowed-Messages", "call,res"));
    WebSocketHandshakeException refused = (WebSocketHandshakeException) e.getCause();
    assertEquals(400, refused.getResponse().statusCode());
    assertTrue(String.valueOf(refused.getResponse().body()).contains("res"));
  }

  @Test
  void allowedMessagesRestrictTheConnection() {
    try (WsClient bystander = WsClient.connect();
        WsClient callOnly = WsClient.connect("Juggler-Allowed-Messages", "CALL")) {
      assertServes(callOnly);
      callOnly.sub("news", false);
      WsClient.Close close = callOnly.awaitClose(WAIT);
      assertNotNull(close, "SUB on a call-only connection closes it");
      assertEquals(1008, close.code());
      assertServes(bystander);
    }
    try (WsClient subOnly = WsClient.connect("Juggler-Allowed-Messages", "sub, unsb")) {
      subscribed(subOnly, "news", false);
      subOnly.call("test.echo", "\"x\"", Duration.ofSeconds(1));
      assertEquals(1008, subOnly.awaitClose(WAIT).code());
    }
  }

  @Test
  void concurrentHandshakesKeepTheirOwnRestrictions() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<WsClient>> callOnly = new ArrayList<>();
      List<Future<WsClient>> subOnly = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        callOnly.add(pool.submit(() -> WsClient.connect("Juggler-Allowed-Messages", "call")));
        subOnly.add(pool.submit(() -> WsClient.connect("Juggler-Allowed-Messages", "sub,unsb")));
      }
      for (Future<WsClient> f : callOnly) {
        try (WsClient c = f.get()) {
          assertServes(c);
          c.pub("x", "1");
          assertEquals(1008, c.awaitClose(WAIT).code(), "PUB on a call-only connection");
        }
      }
      for (Future<WsClient> f : subOnly) {
        try (WsClient c = f.get()) {
          subscribed(c, "x", false);
          c.call("test.echo", "\"x\"", Duration.ofSeconds(1));
          assertEquals(1008, c.awaitClose(WAIT).code(), "CALL on a sub-only connection");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON                | {\"meta\":                                                    | 1002",
        "array                   | []                                                             | 1002",
        "unknown type            | {\"meta\":{\"type\":99,\"uuid\":\"%s\"},\"payload\":{}}         | 1002",
        "server type from client | {\"meta\":{\"type\":8,\"uuid\":\"%s\"},\"payload\":{}}          | 1002",
        "uri not a string        | {\"meta\":{\"type\":1,\"uuid\":\"%s\"},\"payload\":{\"uri\":5}} | 1002",
        "fractional timeout      | {\"meta\":{\"type\":1,\"uuid\":\"%s\"},\"payload\":{\"uri\":\"a\",\"timeout\":1.5}} | 1002",
        "pattern not a boolean   | {\"meta\":{\"type\":3,\"uuid\":\"%s\"},\"payload\":{\"channel\":\"a\",\"pattern\":\"yes\"}} | 1002",
        "missing payload         | {\"meta\":{\"type\":2,\"uuid\":\"%s\"}}                       | 1002",
        "bad uuid                | {\"meta\":{\"type\":2,\"uuid\":\"1-2-3-4-5\"},\"payload\":{}}  | 1002",
        "trailing data           | {\"meta\":{\"type\":2,\"uuid\":\"%s\"},\"payload\":{}} {}      | 1002",
      })
  void protocolViolationClosesOnlyThatConnection(String name, String frame, int code) {
    try (WsClient bystander = WsClient.connect();
        WsClient offender = WsClient.connect()) {
      offender.send(frame.formatted(UUID.randomUUID()));
      WsClient.Close close = offender.awaitClose(WAIT);
      assertNotNull(close, name + " must close the connection");
      assertEquals(code, close.code(), () -> name + ": " + close);
      assertServes(bystander);
    }
  }

  /**
   * Frames whose strings hold an unpaired surrogate (as a JSON escape: written raw, the client
   * could not even encode them as UTF-8). Once, such a PUB reached the subscribers of {@code
   * chat.?} (the surrogate became a {@code ?} on its way to Redis) and such a SUB waited for Redis'
   * confirmation, then got NACK 503.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SUB channel           | {\"meta\":{\"type\":3,\"uuid\":\"%s\"},\"payload\":{\"channel\":\"chat.\\ud800x\"}}",
        "SUB pattern           | {\"meta\":{\"type\":3,\"uuid\":\"%s\"},\"payload\":{\"channel\":\"chat.\\udc00*\",\"pattern\":true}}",
        "PUB channel           | {\"meta\":{\"type\":2,\"uuid\":\"%s\"},\"payload\":{\"channel\":\"chat.\\ud800\",\"args\":1}}",
        "PUB args              | {\"meta\":{\"type\":2,\"uuid\":\"%s\"},\"payload\":{\"channel\":\"chat.x\",\"args\":{\"t\":\"\\ud83d!\"}}}",
        "CALL uri              | {\"meta\":{\"type\":1,\"uuid\":\"%s\"},\"payload\":{\"uri\":\"test.\\ud800\",\"args\":\"a\"}}",
        "CALL args             | {\"meta\":{\"type\":1,\"uuid\":\"%s\"},\"payload\":{\"uri\":\"test.echo\",\"args\":\"\\ude00\"}}",
      })
  void textThatIsNotUnicodeClosesWith1007AndReachesNoOne(String name, String frame)
      throws Exception {
    double brokerErrors = Server.metric("BrokerErrors");
    double calls = Server.metric("MsgsCALL");
    try (WsClient subscriber = WsClient.connect();
        WsClient bystander = WsClient.connect();
        WsClient offender = WsClient.connect()) {
      subscribed(subscriber, "chat.?", true);
      subscribed(subscriber, "chat.*", true);
      offender.send(frame.formatted(UUID.randomUUID()));
      WsClient.Close close = offender.awaitClose(WAIT);
      assertNotNull(close, name + " must close the connection");
      assertEquals(1007, close.code(), () -> name + ": " + close);
      assertTrue(close.reason().startsWith("invalid text: unpaired surrogate"), close.reason());
      // Had the offender's PUB been published, its events would come before this one's.
      published(bystander, "chat.y", "2");
      List<JsonObject> events = subscriber.next(2);
      for (JsonObject event : events) {
        assertEquals("chat.y", Frames.payload(event).getString("channel"), name);
      }
      assertServes(bystander);
    }
    assertEquals(brokerErrors, Server.metric("BrokerErrors"), "nothing went to Redis");
    assertEquals(calls + 1, Server.metric("MsgsCALL"), "only the bystander's CALL was read");
  }

  @Test
  void binaryFrameClosesWith1003() {
    try (WsClient bystander = WsClient.connect();
        WsClient offender = WsClient.connect()) {
      offender.sendBinary(new byte[] {1, 2, 3});
      assertEquals(1003, offender.awaitClose(WAIT).code());
      assertServes(bystander);
    }
  }

  @Test
  void frameOverTheReadLimitClosesWith1009() {
    try (WsClient bystander = WsClient.connect();
        WsClient offender = WsClient.connect()) {
      String big = "x".repeat(70_000); // the read limit is 65536 bytes
      offender.pub("big", "\"" + big + "\"");
      assertEquals(1009, offender.awaitClose(WAIT).code());
      assertServes(bystander);
    }
  }

  @Test
  void applicationHandlerCanRejectRequests() {
    try (WsClient c = WsClient.connect()) {
      String id = c.call("it.forbidden.call", "1", Duration.ofSeconds(1));
      assertEquals(403, nack(c.next(), id, 1, 403).getInt("code"));
      id = c.sub("it.forbidden.channel", false);
      nack(c.next(), id, 3, 403);
      assertServes(c);
    }
  }

  @Test
  void handlerFailureClosesOnlyThatConnectionWith1011() throws Exception {
    double before = Server.metric("RecoveredFailures");
    try (WsClient bystander = WsClient.connect();
        WsClient victim = WsClient.connect()) {
      victim.call("it.boom", "1", Duration.ofSeconds(1));
      assertEquals(1011, victim.awaitClose(WAIT).code());
      assertServes(bystander);
    }
    assertEquals(before + 1, Server.metric("RecoveredFailures"));
  }

  @Test
  void clientThatStopsReadingIsClosedInsteadOfBuffered() throws Exception {
    double before = Server.metric("WriteQueueFull") + Server.metric("WriteQueueTimeouts");
    String channel = "slow." + UUID.randomUUID();
    String args = "\"" + "x".repeat(60_000) + "\"";
    try (WsClient bystander = WsClient.connect();
        WsClient slow = WsClient.connect();
        WsClient pub = WsClient.connect()) {
      subscribed(slow, channel, false);
      slow.stopReading();
      // Enough to fill the socket buffers and the server's queue (1024 frames) many times over.
      boolean closed = false;
      for (int i = 0; i < 3000 && !closed; i++) {
        published(pub, channel, args);
        if (i % 100 == 99) {
          closed = Server.metric("WriteQueueFull") + Server.metric("WriteQueueTimeouts") > before;
        }
      }
      assertTrue(closed, "the server gave up on the client that does not read");
      assertServes(bystander);
      assertServes(pub);
    }
  }

  /**
   * The longest a test waits for the server to cut off a client that does not read: its write
   * timeout and sweep, with room for a loaded machine. Settable with {@code
   * -Djuggler.test.cut-off-wait-ms}.
   */
  private static final Duration CUT_OFF_WAIT =
      Duration.ofMillis(Long.getLong("juggler.test.cut-off-wait-ms", 120_000));

  @Test
  void clientThatSendsButDoesNotReadBlocksOnlyItselfUntilTheWriteTimeout() throws Exception {
    // Answers to this client's requests are sent by the thread that reads them: NACKs that echo a
    // 60,000-character channel fill the socket buffers until that thread's send blocks.
    double before = Server.metric("WriteFailures");
    String tooLong = "x".repeat(60_000);
    try (WsClient bystander = WsClient.connect()) {
      double active = Server.metric("ActiveConns");
      try (WsClient hog = WsClient.connect()) {
        hog.stopReading();
        // Sends until the server stops reading it, its thread blocked in a send, which the write
        // timeout then fails.
        CompletableFuture<?> send = CompletableFuture.completedFuture(null);
        long deadline = System.nanoTime() + CUT_OFF_WAIT.toNanos();
        while (Server.metric("WriteFailures") <= before) {
          assertTrue(
              System.nanoTime() - deadline < 0,
              "not within " + CUT_OFF_WAIT + ": the blocked send ended by the write timeout");
          if (send.isDone() && !send.isCompletedExceptionally()) {
            send = hog.sendAsync(pubFrame(tooLong));
          } else {
            Thread.sleep(100);
          }
        }
        assertServes(bystander);
        // The client reads no close frame: the server drops the connection without it.
        awaitMetric("ActiveConns", v -> v <= active, "the connection dropped");
        assertServes(bystander);
      }
    }
  }

  private static String pubFrame(String channel) {
    return "{\"meta\":{\"type\":2,\"uuid\":\"%s\"},\"payload\":{\"channel\":\"%s\",\"args\":1}}"
        .formatted(UUID.randomUUID(), channel);
  }

  private static void awaitMetric(String name, DoublePredicate until, String what)
      throws Exception {
    long deadline = System.nanoTime() + CUT_OFF_WAIT.toNanos();
    while (!until.test(Server.metric(name))) {
      assertTrue(System.nanoTime() - deadline < 0, "not within " + CUT_OFF_WAIT + ": " + what);
      Thread.sleep(100);
    }
  }

  @Test
  void lifecycleEventsAreFiredInOrderWithTheCloseCause(TestRedis redis) {
    String tag = UUID.randomUUID().toString();
    try (WsClient c = WsClient.connect("X-IT-Tag", tag);
        RedisClient jedis = RedisClient.create(redis.uri())) {
      assertServes(c);
      c.sendBinary(new byte[] {0});
      assertEquals(1003, c.awaitClose(WAIT).code());
      List<String> events = List.of();
      for (int i = 0; i < 50 && events.size() < 3; i++) {
        events = jedis.lrange("it:events:" + tag, 0, -1);
        sleepBriefly(); // the Closed event follows the close frame; poll for it, bounded
      }
      assertEquals(
          List.of("accepting", "connected", "closed 1003 binary frames are not supported"), events);
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void metricsCountConnectionsAndMessages() throws Exception {
    double conns = Server.metric("TotalConns");
    double calls = Server.metric("MsgsCALL");
    double res = Server.metric("MsgsRES");
    try (WsClient c = WsClient.connect()) {
      assertServes(c);
      assertTrue(Server.metric("ActiveConns") >= 1);
    }
    assertEquals(conns + 1, Server.metric("TotalConns"));
    assertEquals(calls + 1, Server.metric("MsgsCALL"));
    assertEquals(res + 1, Server.metric("MsgsRES"));
  }
}
